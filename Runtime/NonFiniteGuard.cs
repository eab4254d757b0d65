using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace UnrolledRnn;

/// <summary>
/// Finds NaN and infinite values: one vectorised pass over the span when every value is finite, and the first
/// offending element named when one is not. Allocates nothing unless it throws.
/// </summary>
public static class NonFiniteGuard
{
    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1 when every value is finite.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="values">The values to check; empty is all finite.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOfNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.IsFiniteAll(values) ? -1 : FirstNonFinite(values);

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first NaN or infinity in <paramref name="values"/>
    /// (its index and value) when there is one.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="values">The values to check.</param>
    /// <param name="parameterName">The argument's name, for the exception and its message.</param>
    /// <exception cref="ArgumentException">An element of <paramref name="values"/> is NaN or infinite.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireFinite<T>(ReadOnlySpan<T> values, string parameterName) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!TensorPrimitives.IsFiniteAll(values))
        {
            int index = FirstNonFinite(values);
            Throw(parameterName, index, double.CreateSaturating(values[index]));
        }
    }

    private static int FirstNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(string parameterName, int index, double value) =>
        throw new ArgumentException($"Expected finite values in {parameterName}, but {parameterName}[{index}] is {value}.", parameterName);
}
