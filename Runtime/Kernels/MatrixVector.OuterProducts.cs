using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

public static partial class MatrixVector
{
    /// <summary>
    /// destination += Σ_t vector_t over <paramref name="count"/> vectors read with a stride: the bias gradient of a
    /// whole window, db += Σ_t δ_t, in one call instead of one addition per step. Each element of the destination is
    /// read and written once.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="destination">The vector to update.</param>
    /// <param name="count">The number of vectors (time steps).</param>
    /// <param name="vectors">vector_t (δ_t), as long as the destination, starts at element t × <paramref name="stride"/>.</param>
    /// <param name="stride">Elements from one vector_t to the next.</param>
    public static void AddSums<T>(Span<T> destination, int count, ReadOnlySpan<T> vectors, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count <= 0)
        {
            return;
        }

        int length = destination.Length;
        LengthGuard.RequireAtLeast(vectors.Length, (count - 1) * stride + length, nameof(vectors));
        ref T d = ref MemoryMarshal.GetReference(destination);
        ref T v = ref MemoryMarshal.GetReference(vectors);
        int done = VectorWidth.Use512<T>(length) ? AddSums<T, Vector512<T>, Vector512Ops<T>>(ref d, length, count, ref v, stride)
            : VectorWidth.Use256<T>(length) ? AddSums<T, Vector256<T>, Vector256Ops<T>>(ref d, length, count, ref v, stride)
            : VectorWidth.Use128<T>(length) ? AddSums<T, Vector128<T>, Vector128Ops<T>>(ref d, length, count, ref v, stride)
            : 0;
        for (int i = done; i < length; i++)
        {
            T sum = destination[i];
            for (int t = 0; t < count; t++)
            {
                sum += vectors[t * stride + i];
            }

            destination[i] = sum;
        }
    }

    // The whole registers of AddSums, two partial sums per register (even and odd t) to halve the chain of additions.
    private static int AddSums<T, TVector, TOps>(ref T d, int length, int count, ref T v, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int i = 0;
        for (; i + TOps.Count <= length; i += TOps.Count)
        {
            TVector even = TOps.Load(in d, (nuint)i), odd = TOps.Zero;
            int t = 0;
            for (; t + 1 < count; t += 2)
            {
                even = TOps.Add(even, TOps.Load(in v, (nuint)(t * stride + i)));
                odd = TOps.Add(odd, TOps.Load(in v, (nuint)((t + 1) * stride + i)));
            }

            if (t < count)
            {
                even = TOps.Add(even, TOps.Load(in v, (nuint)(t * stride + i)));
            }

            TOps.Store(TOps.Add(even, odd), ref d, (nuint)i);
        }

        return i;
    }

    /// <summary>
    /// matrix += Σ_t left_t ⊗ right_t over <paramref name="count"/> pairs of vectors read with a stride: the
    /// weight gradient of a whole window, dW += Σ_t δ_t·x_tᵀ, as one matrix product (Δᵀ·X) instead of one
    /// outer product per step. Each element of the matrix is read and written once, not once per step.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix">The row-major matrix to update: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of the matrix: the length of each left_t.</param>
    /// <param name="columns">Columns of the matrix: the length of each right_t.</param>
    /// <param name="count">The number of pairs (time steps).</param>
    /// <param name="left">left_t (δ_t) starts at element t × <paramref name="leftStride"/>.</param>
    /// <param name="leftStride">Elements from one left_t to the next.</param>
    /// <param name="right">right_t (x_t) starts at element t × <paramref name="rightStride"/>.</param>
    /// <param name="rightStride">Elements from one right_t to the next.</param>
    public static void AddOuterProducts<T>(Span<T> matrix, int rows, int columns, int count,
        ReadOnlySpan<T> left, int leftStride, ReadOnlySpan<T> right, int rightStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(matrix.Length, rows * columns, nameof(matrix));
        if (count <= 0)
        {
            return;
        }

        LengthGuard.RequireAtLeast(left.Length, (count - 1) * leftStride + rows, nameof(left));
        LengthGuard.RequireAtLeast(right.Length, (count - 1) * rightStride + columns, nameof(right));
        ref T m = ref MemoryMarshal.GetReference(matrix);
        ref T l = ref MemoryMarshal.GetReference(left);
        ref T r = ref MemoryMarshal.GetReference(right);
        if (VectorWidth.Use512<T>(columns))
        {
            AddOuterProducts<T, Vector512<T>, Vector512Ops<T>>(ref m, rows, columns, count, ref l, leftStride, ref r, rightStride);
        }
        else if (VectorWidth.Use256<T>(columns))
        {
            AddOuterProducts<T, Vector256<T>, Vector256Ops<T>>(ref m, rows, columns, count, ref l, leftStride, ref r, rightStride);
        }
        else if (VectorWidth.Use128<T>(columns))
        {
            AddOuterProducts<T, Vector128<T>, Vector128Ops<T>>(ref m, rows, columns, count, ref l, leftStride, ref r, rightStride);
        }
        else
        {
            for (int t = 0; t < count; t++)
            {
                AddOuterProduct(matrix, rows, columns, left.Slice(t * leftStride, rows), right.Slice(t * rightStride, columns));
            }
        }
    }

    // Register blocks of 4 rows × 2 vectors (8 independent accumulators, enough to keep both FMA pipes busy)
    // summed over every t, then added to the matrix once. The columns are the full vectors and, when the width
    // does not divide them, a last vector ending at the last column whose lanes already covered are masked to
    // zero (each block adds its sums to the matrix after the blocks before it did, so those lanes keep their
    // updated values). An odd last vector (the only one for W_ih with 16 inputs) takes blocks of 8 rows × 1 vector:
    // 8 accumulators again, one load of right_t for eight FMAs. Requires columns >= width.
    private static void AddOuterProducts<T, TVector, TOps>(ref T m, int rows, int columns, int count,
        ref T left, int leftStride, ref T right, int rightStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int width = TOps.Count, remainder = columns % width;
        int vectors = columns / width + (remainder != 0 ? 1 : 0);
        TVector all = TOps.LanesFrom(0), tailMask = TOps.LanesFrom(remainder == 0 ? 0 : width - remainder);
        int i = 0;
        for (; i + 4 <= rows; i += 4)
        {
            for (int v = 0; v + 2 <= vectors; v += 2)
            {
                Block4x2<T, TVector, TOps>(ref m, columns, count, ref left, leftStride, ref right, rightStride, i,
                    ColumnOf(v, columns, width), ColumnOf(v + 1, columns, width), all, v + 1 == vectors - 1 ? tailMask : all);
            }
        }
        if (vectors % 2 != 0)
        {
            int lastColumn = ColumnOf(vectors - 1, columns, width), row = 0;
            for (; row + 8 <= i; row += 8)
            {
                Block8x1<T, TVector, TOps>(ref m, columns, count, ref left, leftStride, ref right, rightStride, row,
                    lastColumn, tailMask);
            }
            for (; row < i; row++)
            {
                Block1x1<T, TVector, TOps>(ref m, columns, count, ref left, leftStride, ref right, rightStride, row,
                    lastColumn, tailMask);
            }
        }
        for (; i < rows; i++)
        {
            for (int v = 0; v < vectors; v++)
            {
                Block1x1<T, TVector, TOps>(ref m, columns, count, ref left, leftStride, ref right, rightStride, i,
                    ColumnOf(v, columns, width), v == vectors - 1 ? tailMask : all);
            }
        }
    }

    /// <summary>The first column of vector v: full vectors from 0, the last one ending at the last column.</summary>
    private static int ColumnOf(int v, int columns, int width) => Math.Min(v * width, columns - width);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x2<T, TVector, TOps>(ref T m, int columns, int count, ref T left, int leftStride,
        ref T right, int rightStride, int row, int columnA, int columnB, TVector maskA, TVector maskB)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        TVector b0 = TOps.Zero, b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero;
        ref T l = ref Unsafe.Add(ref left, row);
        ref T r = ref right;
        for (int t = 0; t < count; t++)
        {
            TVector xa = TOps.Load(in r, (nuint)columnA), xb = TOps.Load(in r, (nuint)columnB);
            TVector d0 = TOps.Broadcast(l), d1 = TOps.Broadcast(Unsafe.Add(ref l, 1));
            TVector d2 = TOps.Broadcast(Unsafe.Add(ref l, 2)), d3 = TOps.Broadcast(Unsafe.Add(ref l, 3));
            a0 = TOps.MultiplyAdd(d0, xa, a0);
            b0 = TOps.MultiplyAdd(d0, xb, b0);
            a1 = TOps.MultiplyAdd(d1, xa, a1);
            b1 = TOps.MultiplyAdd(d1, xb, b1);
            a2 = TOps.MultiplyAdd(d2, xa, a2);
            b2 = TOps.MultiplyAdd(d2, xb, b2);
            a3 = TOps.MultiplyAdd(d3, xa, a3);
            b3 = TOps.MultiplyAdd(d3, xb, b3);
            l = ref Unsafe.Add(ref l, leftStride);
            r = ref Unsafe.Add(ref r, rightStride);
        }
        AddToRow<T, TVector, TOps>(ref m, columns, row, columnA, columnB, a0, b0, maskA, maskB);
        AddToRow<T, TVector, TOps>(ref m, columns, row + 1, columnA, columnB, a1, b1, maskA, maskB);
        AddToRow<T, TVector, TOps>(ref m, columns, row + 2, columnA, columnB, a2, b2, maskA, maskB);
        AddToRow<T, TVector, TOps>(ref m, columns, row + 3, columnA, columnB, a3, b3, maskA, maskB);
    }

    // Vector A is stored before vector B is loaded: B may be the masked last vector overlapping A.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToRow<T, TVector, TOps>(ref T m, int columns, int row, int columnA, int columnB,
        TVector sumA, TVector sumB, TVector maskA, TVector maskB)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        AddToVector<T, TVector, TOps>(ref m, columns, row, columnA, sumA, maskA);
        AddToVector<T, TVector, TOps>(ref m, columns, row, columnB, sumB, maskB);
    }

    // Eight rows of one vector: eight FMA chains, each load of right_t feeding eight FMAs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x1<T, TVector, TOps>(ref T m, int columns, int count, ref T left, int leftStride,
        ref T right, int rightStride, int row, int column, TVector mask)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        TVector a4 = TOps.Zero, a5 = TOps.Zero, a6 = TOps.Zero, a7 = TOps.Zero;
        ref T l = ref Unsafe.Add(ref left, row);
        ref T r = ref Unsafe.Add(ref right, column);
        for (int t = 0; t < count; t++)
        {
            TVector x = TOps.Load(in r, 0);
            a0 = TOps.MultiplyAdd(TOps.Broadcast(l), x, a0);
            a1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, 1)), x, a1);
            a2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, 2)), x, a2);
            a3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, 3)), x, a3);
            a4 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, 4)), x, a4);
            a5 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, 5)), x, a5);
            a6 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, 6)), x, a6);
            a7 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, 7)), x, a7);
            l = ref Unsafe.Add(ref l, leftStride);
            r = ref Unsafe.Add(ref r, rightStride);
        }
        AddToVector<T, TVector, TOps>(ref m, columns, row, column, a0, mask);
        AddToVector<T, TVector, TOps>(ref m, columns, row + 1, column, a1, mask);
        AddToVector<T, TVector, TOps>(ref m, columns, row + 2, column, a2, mask);
        AddToVector<T, TVector, TOps>(ref m, columns, row + 3, column, a3, mask);
        AddToVector<T, TVector, TOps>(ref m, columns, row + 4, column, a4, mask);
        AddToVector<T, TVector, TOps>(ref m, columns, row + 5, column, a5, mask);
        AddToVector<T, TVector, TOps>(ref m, columns, row + 6, column, a6, mask);
        AddToVector<T, TVector, TOps>(ref m, columns, row + 7, column, a7, mask);
    }

    // matrix[row, column..] += sum, in the lanes the mask keeps.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToVector<T, TVector, TOps>(ref T m, int columns, int row, int column, TVector sum, TVector mask)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        ref T start = ref Unsafe.Add(ref m, (nint)row * columns);
        TOps.Store(TOps.Add(TOps.Load(in start, (nuint)column), TOps.BitwiseAnd(sum, mask)), ref start, (nuint)column);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1x1<T, TVector, TOps>(ref T m, int columns, int count, ref T left, int leftStride,
        ref T right, int rightStride, int row, int column, TVector mask)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        // Two accumulators (even and odd t) halve the dependency chain of the sum.
        TVector even = TOps.Zero, odd = TOps.Zero;
        ref T l = ref Unsafe.Add(ref left, row);
        ref T r = ref right;
        int t = 0;
        for (; t + 2 <= count; t += 2)
        {
            even = TOps.MultiplyAdd(TOps.Broadcast(l), TOps.Load(in r, (nuint)column), even);
            odd = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref l, leftStride)), TOps.Load(in Unsafe.Add(ref r, rightStride), (nuint)column), odd);
            l = ref Unsafe.Add(ref l, 2 * leftStride);
            r = ref Unsafe.Add(ref r, 2 * rightStride);
        }
        if (t < count)
        {
            even = TOps.MultiplyAdd(TOps.Broadcast(l), TOps.Load(in r, (nuint)column), even);
        }
        AddToVector<T, TVector, TOps>(ref m, columns, row, column, TOps.Add(even, odd), mask);
    }
}
