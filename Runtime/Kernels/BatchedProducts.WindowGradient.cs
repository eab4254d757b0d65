using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace UnrolledRnn.Kernels;

public static partial class BatchedProducts
{
    /// <summary>
    /// matrix += Σ_t left_t · right_tᵀ over <paramref name="count"/> pairs of feature-major blocks: the weight gradient
    /// of a batched window, dW += Σ_t Σ_s δ_t,s x_t,sᵀ, as one "A·Bᵀ" product whose inner dimension runs over every
    /// step and every stream.
    /// </summary>
    /// <param name="matrix">The row-major matrix to update: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of the matrix: the length of each δ.</param>
    /// <param name="columns">Columns of the matrix: the length of each x.</param>
    /// <param name="count">The number of pairs (time steps).</param>
    /// <param name="left">δ_t (rows × batch) starts at element t × <paramref name="leftStride"/>.</param>
    /// <param name="leftStride">Elements from one δ_t to the next.</param>
    /// <param name="right">x_t (columns × batch) starts at element t × <paramref name="rightStride"/>.</param>
    /// <param name="rightStride">Elements from one x_t to the next.</param>
    /// <param name="batch">The number of streams B.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void AddTransposedProducts<T>(Span<T> matrix, int rows, int columns, int count,
        ReadOnlySpan<T> left, int leftStride, ReadOnlySpan<T> right, int rightStride, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch == 1)
        {
            MatrixVector.AddOuterProducts(matrix, rows, columns, count, left, leftStride, right, rightStride);
            return;
        }

        LengthGuard.Require(matrix.Length, rows * columns, nameof(matrix));
        if (count <= 0)
        {
            return;
        }

        LengthGuard.RequireAtLeast(left.Length, (count - 1) * leftStride + rows * batch, nameof(left));
        LengthGuard.RequireAtLeast(right.Length, (count - 1) * rightStride + columns * batch, nameof(right));
        ref T m = ref MemoryMarshal.GetReference(matrix);
        ref T l = ref MemoryMarshal.GetReference(left);
        ref T r = ref MemoryMarshal.GetReference(right);
        if (columns >= PanelColumns)
        {
            AddTransposedProductsByPanels(ref m, rows, columns, count, ref l, leftStride, ref r, rightStride, batch);
        }
        else if (VectorWidth.Use512<T>(batch))
        {
            AddTransposedProducts<T, System.Runtime.Intrinsics.Vector512<T>, Vector512Ops<T>>(ref m, rows, columns, count, ref l, leftStride, ref r, rightStride, batch);
        }
        else if (VectorWidth.Use256<T>(batch))
        {
            AddTransposedProducts<T, System.Runtime.Intrinsics.Vector256<T>, Vector256Ops<T>>(ref m, rows, columns, count, ref l, leftStride, ref r, rightStride, batch);
        }
        else if (VectorWidth.Use128<T>(batch))
        {
            AddTransposedProducts<T, System.Runtime.Intrinsics.Vector128<T>, Vector128Ops<T>>(ref m, rows, columns, count, ref l, leftStride, ref r, rightStride, batch);
        }
        else
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    T sum = T.Zero;
                    for (int t = 0; t < count; t++)
                    {
                        for (int b = 0; b < batch; b++)
                        {
                            sum = T.FusedMultiplyAdd(left[t * leftStride + i * batch + b], right[t * rightStride + j * batch + b], sum);
                        }
                    }

                    matrix[i * columns + j] += sum;
                }
            }
        }
    }

    // A matrix narrower than PanelColumns: blocks of 4 rows × 4 columns, 16 vector accumulators over the streams,
    // summed over every t and every vector of streams (each step loads 4 vectors of δ and 4 of x for 16 FMAs), then
    // summed across lanes once. Rows and columns left over take 1 × 1 blocks.
    private static void AddTransposedProducts<T, TVector, TOps>(ref T m, int rows, int columns, int count,
        ref T left, int leftStride, ref T right, int rightStride, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int width = TOps.Count, remainder = batch % width;
        int vectors = batch / width + (remainder != 0 ? 1 : 0);
        TVector all = TOps.LanesFrom(0), tailMask = TOps.LanesFrom(remainder == 0 ? 0 : width - remainder);
        int fullRows = rows - rows % 4, fullColumns = columns - columns % 4;
        for (int i = 0; i < fullRows; i += 4)
        {
            for (int j = 0; j < fullColumns; j += 4)
            {
                GradientBlock4x4<T, TVector, TOps>(ref m, columns, count, ref left, leftStride, ref right, rightStride, batch, vectors, width, tailMask, i, j);
            }
        }

        for (int i = 0; i < rows; i++)
        {
            for (int j = i < fullRows ? fullColumns : 0; j < columns; j++)
            {
                GradientBlock1x1<T, TVector, TOps>(ref m, columns, count, ref left, leftStride, ref right, rightStride, batch, vectors, width, all, tailMask, i, j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientBlock4x4<T, TVector, TOps>(ref T m, int columns, int count, ref T left, int leftStride,
        ref T right, int rightStride, int batch, int vectors, int width, TVector tailMask, int row, int column)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector p00 = TOps.Zero, p01 = TOps.Zero, p02 = TOps.Zero, p03 = TOps.Zero;
        TVector p10 = TOps.Zero, p11 = TOps.Zero, p12 = TOps.Zero, p13 = TOps.Zero;
        TVector p20 = TOps.Zero, p21 = TOps.Zero, p22 = TOps.Zero, p23 = TOps.Zero;
        TVector p30 = TOps.Zero, p31 = TOps.Zero, p32 = TOps.Zero, p33 = TOps.Zero;
        nint b = batch;
        bool masked = batch % width != 0;
        for (int t = 0; t < count; t++)
        {
            ref T d = ref Unsafe.Add(ref left, (nint)t * leftStride + row * b);
            ref T x = ref Unsafe.Add(ref right, (nint)t * rightStride + column * b);
            for (int v = 0; v < vectors; v++)
            {
                // The last vector ends at the last stream; its lanes that the vector before already covered are zeroed
                // in δ (full vectors skip the mask: an AND competes with the FMAs for the same ports).
                int stream = StreamOf(v, batch, width);
                TVector d0 = TOps.Load(in d, (nuint)stream), d1 = TOps.Load(in Unsafe.Add(ref d, b), (nuint)stream);
                TVector d2 = TOps.Load(in Unsafe.Add(ref d, 2 * b), (nuint)stream), d3 = TOps.Load(in Unsafe.Add(ref d, 3 * b), (nuint)stream);
                if (masked && v == vectors - 1)
                {
                    d0 = TOps.BitwiseAnd(d0, tailMask);
                    d1 = TOps.BitwiseAnd(d1, tailMask);
                    d2 = TOps.BitwiseAnd(d2, tailMask);
                    d3 = TOps.BitwiseAnd(d3, tailMask);
                }

                TVector x0 = TOps.Load(in x, (nuint)stream), x1 = TOps.Load(in Unsafe.Add(ref x, b), (nuint)stream);
                TVector x2 = TOps.Load(in Unsafe.Add(ref x, 2 * b), (nuint)stream), x3 = TOps.Load(in Unsafe.Add(ref x, 3 * b), (nuint)stream);
                p00 = TOps.MultiplyAdd(d0, x0, p00);
                p01 = TOps.MultiplyAdd(d0, x1, p01);
                p02 = TOps.MultiplyAdd(d0, x2, p02);
                p03 = TOps.MultiplyAdd(d0, x3, p03);
                p10 = TOps.MultiplyAdd(d1, x0, p10);
                p11 = TOps.MultiplyAdd(d1, x1, p11);
                p12 = TOps.MultiplyAdd(d1, x2, p12);
                p13 = TOps.MultiplyAdd(d1, x3, p13);
                p20 = TOps.MultiplyAdd(d2, x0, p20);
                p21 = TOps.MultiplyAdd(d2, x1, p21);
                p22 = TOps.MultiplyAdd(d2, x2, p22);
                p23 = TOps.MultiplyAdd(d2, x3, p23);
                p30 = TOps.MultiplyAdd(d3, x0, p30);
                p31 = TOps.MultiplyAdd(d3, x1, p31);
                p32 = TOps.MultiplyAdd(d3, x2, p32);
                p33 = TOps.MultiplyAdd(d3, x3, p33);
            }
        }

        AddSumsToRow<T, TVector, TOps>(ref m, columns, row, column, p00, p01, p02, p03);
        AddSumsToRow<T, TVector, TOps>(ref m, columns, row + 1, column, p10, p11, p12, p13);
        AddSumsToRow<T, TVector, TOps>(ref m, columns, row + 2, column, p20, p21, p22, p23);
        AddSumsToRow<T, TVector, TOps>(ref m, columns, row + 3, column, p30, p31, p32, p33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSumsToRow<T, TVector, TOps>(ref T m, int columns, int row, int column, TVector p0, TVector p1, TVector p2, TVector p3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        ref T start = ref Unsafe.Add(ref m, (nint)row * columns + column);
        start += TOps.Sum(p0);
        Unsafe.Add(ref start, 1) += TOps.Sum(p1);
        Unsafe.Add(ref start, 2) += TOps.Sum(p2);
        Unsafe.Add(ref start, 3) += TOps.Sum(p3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientBlock1x1<T, TVector, TOps>(ref T m, int columns, int count, ref T left, int leftStride,
        ref T right, int rightStride, int batch, int vectors, int width, TVector all, TVector tailMask, int row, int column)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector sum = TOps.Zero;
        for (int t = 0; t < count; t++)
        {
            ref T d = ref Unsafe.Add(ref left, (nint)t * leftStride + (nint)row * batch);
            ref T x = ref Unsafe.Add(ref right, (nint)t * rightStride + (nint)column * batch);
            for (int v = 0; v < vectors; v++)
            {
                int stream = StreamOf(v, batch, width);
                TVector mask = v == vectors - 1 ? tailMask : all;
                sum = TOps.MultiplyAdd(TOps.BitwiseAnd(TOps.Load(in d, (nuint)stream), mask), TOps.Load(in x, (nuint)stream), sum);
            }
        }

        Unsafe.Add(ref m, (nint)row * columns + column) += TOps.Sum(sum);
    }
}
