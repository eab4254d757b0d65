using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UnrolledRnn;

/// <summary>
/// A fixed-length buffer whose first element sits on a 64-byte boundary (one cache line, one AVX-512 vector).
/// Generated cells keep their parameters, gradients and tapes in these: an ordinary array starts 8 or 16 bytes
/// past a boundary, and every row of a matrix then straddles cache lines, which made the 512 x 128 matrix-vector
/// product 1.6 times slower and the outer-product update 2 times slower (measured, docs/design.md).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class AlignedBuffer<T> where T : unmanaged
{
    /// <summary>The alignment of the first element, in bytes.</summary>
    public const int Alignment = 64;

    // Pinned, so the address (and so the alignment) never changes; over-allocated by one alignment unit.
    private readonly T[] _array;
    private readonly int _offset;

    /// <summary>Allocates <paramref name="length"/> zeroed elements, 64-byte aligned.</summary>
    public unsafe AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int slack = Alignment / Unsafe.SizeOf<T>();
        _array = GC.AllocateArray<T>(length + slack, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((Alignment - address % Alignment) % Alignment) / Unsafe.SizeOf<T>();
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>All the elements.</summary>
    public Span<T> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset), Length);
    }

    /// <summary>The elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Slice(int start, int length) => Span.Slice(start, length);
}
