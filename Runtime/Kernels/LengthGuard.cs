using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

/// <summary>
/// The one up-front check each kernel makes before reading and writing through unchecked references:
/// a span of the wrong length throws instead of corrupting memory. The throw is out of line so the check
/// costs a compare and a predicted branch.
/// </summary>
internal static class LengthGuard
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Require(int actualLength, int expectedLength, string parameterName)
    {
        if (actualLength != expectedLength)
        {
            Throw(actualLength, expectedLength, parameterName);
        }
    }

    /// <summary>For strided operands: the span must reach at least <paramref name="minimumLength"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireAtLeast(int actualLength, int minimumLength, string parameterName)
    {
        if (actualLength < minimumLength)
        {
            ThrowTooShort(actualLength, minimumLength, parameterName);
        }
    }

    /// <summary>For a vector of <paramref name="count"/> lanes at <paramref name="offset"/>: it must lie within <paramref name="length"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireVectorWithin(int offset, int count, int length)
    {
        if ((uint)offset > (uint)(length - count))
        {
            ThrowOutside(offset, count, length);
        }
    }

    // Not NoInlining, unlike the throws above: the JIT then sees that the call never returns, makes its block a cold
    // throw block, and keeps the fused loops' vectors in registers across the check instead of spilling them around a
    // call that may return (measured: 88 spilled vectors in an LSTM H = 32 ForwardStep).
    [DoesNotReturn]
    private static void ThrowOutside(int offset, int count, int length) =>
        throw new ArgumentOutOfRangeException(nameof(offset), offset,
            $"A vector of {count} elements at offset {offset} does not fit in a span of {length} elements.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort(int actualLength, int minimumLength, string parameterName) =>
        throw new ArgumentException(
            $"Expected a span of at least {minimumLength} elements, but its length is {actualLength}.", parameterName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(int actualLength, int expectedLength, string parameterName) =>
        throw new ArgumentException(
            $"Expected a span of length {expectedLength}, but its length is {actualLength}.", parameterName);
}
