using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UnrolledRnn.Kernels;

public static partial class MatrixVector
{
    /// <summary>destination = W·v + a: <see cref="MultiplySum{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> with one product and one addend.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix">W, row-major: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of W: the length of the destination.</param>
    /// <param name="columns">Columns of W.</param>
    /// <param name="vector">v: <paramref name="columns"/> elements.</param>
    /// <param name="addend">a: <paramref name="rows"/> elements.</param>
    /// <param name="destination">Receives the sum: <paramref name="rows"/> elements.</param>
    public static void MultiplySum<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> vector, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(addend.Length, rows, nameof(addend));
        MultiplySum(matrix, rows, columns, vector, default, 0, default, addend, default, destination);
    }

    /// <summary>
    /// destination = W1·v1 + W2·v2 + a1 + a2: a sum of products and vectors in one call (the gates of an LSTM, the
    /// terms of a GRU or an affine output layer). With AVX-512 (float, at least 16 rows and columns) both products
    /// feed the same registers and the addends join them before the one store, so the sum costs one pass over the
    /// destination instead of one per term.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix1">W1, row-major: <paramref name="rows"/> × <paramref name="columns1"/> elements.</param>
    /// <param name="rows">Rows of W1 and W2: the length of the destination.</param>
    /// <param name="columns1">Columns of W1.</param>
    /// <param name="vector1">v1: <paramref name="columns1"/> elements.</param>
    /// <param name="matrix2">W2, row-major: <paramref name="rows"/> × <paramref name="columns2"/> elements; empty when there is no second product.</param>
    /// <param name="columns2">Columns of W2; 0 when there is no second product.</param>
    /// <param name="vector2">v2: <paramref name="columns2"/> elements.</param>
    /// <param name="addend1">a1: <paramref name="rows"/> elements, or empty for none.</param>
    /// <param name="addend2">a2: <paramref name="rows"/> elements, or empty for none.</param>
    /// <param name="destination">Receives the sum: <paramref name="rows"/> elements.</param>
    public static void MultiplySum<T>(ReadOnlySpan<T> matrix1, int rows, int columns1, ReadOnlySpan<T> vector1,
        ReadOnlySpan<T> matrix2, int columns2, ReadOnlySpan<T> vector2, ReadOnlySpan<T> addend1, ReadOnlySpan<T> addend2,
        Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(matrix1.Length, rows * columns1, nameof(matrix1));
        LengthGuard.Require(vector1.Length, columns1, nameof(vector1));
        LengthGuard.Require(matrix2.Length, rows * columns2, nameof(matrix2));
        LengthGuard.Require(vector2.Length, columns2, nameof(vector2));
        LengthGuard.Require(addend1.Length, addend1.IsEmpty ? 0 : rows, nameof(addend1));
        LengthGuard.Require(addend2.Length, addend2.IsEmpty ? 0 : rows, nameof(addend2));
        LengthGuard.Require(destination.Length, rows, nameof(destination));
        int done = 0;
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && rows >= 16 && columns1 >= 16
            && (columns2 == 0 || columns2 >= 16))
        {
            done = MultiplySixteenRows(ref Float(matrix1), rows, columns1, ref Float(vector1),
                new SecondProduct(ref Float(matrix2), columns2, ref Float(vector2)),
                ref Float(addend1), !addend1.IsEmpty, ref Float(addend2), !addend2.IsEmpty, ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(destination)),
                accumulate: false);
        }

        if (done == rows)
        {
            return;
        }

        // The rows left (all of them without AVX-512): one kernel per term.
        var rest = destination.Slice(done);
        Multiply(matrix1.Slice(done * columns1), rows - done, columns1, vector1, rest, accumulate: false);
        if (columns2 > 0)
        {
            Multiply(matrix2.Slice(done * columns2), rows - done, columns2, vector2, rest, accumulate: true);
        }

        AddTo(rest, addend1.IsEmpty ? addend1 : addend1.Slice(done));
        AddTo(rest, addend2.IsEmpty ? addend2 : addend2.Slice(done));
    }

    /// <summary>
    /// destination += addend (nothing when the addend is empty). Fewer than 16 elements (an output layer's few rows)
    /// are added one at a time: a TensorPrimitives call costs more than the additions there.
    /// </summary>
    private static void AddTo<T>(Span<T> destination, ReadOnlySpan<T> addend)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (addend.IsEmpty)
        {
            return;
        }

        if (destination.Length >= 16)
        {
            TensorPrimitives.Add<T>(destination, addend, destination);
            return;
        }

        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] += addend[k];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref float Float<T>(ReadOnlySpan<T> span) => ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(span));
}
