using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

/// <summary>
/// The products of a batched step, whose values are feature-major blocks (a value of length n over B streams is an
/// n × B row-major block): W·S and Wᵀ·D with S and D such blocks, and the window's weight gradient Σ_t D_t·S_tᵀ.
/// Register-blocked: each weight element is broadcast once per block and multiplies a row of streams in vectors.
/// </summary>
/// <remarks>
/// The streams of a row are full vectors and, when the width does not divide B, a last vector ending at the last
/// stream (overlapping the one before). A product written (not added) computes the overlapped lanes again, in the
/// same order, so storing them twice stores the same value; a product added masks them off. Fewer streams than a
/// vector's lanes run narrower vectors, then scalar code; one stream (a block that is a plain vector) takes the
/// single-stream kernels of <see cref="MatrixVector"/>.
/// </remarks>
public static partial class BatchedProducts
{
    /// <summary>product = matrix · values: matrix rows × columns, values columns × batch, product rows × batch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> values, int batch, Span<T> product)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch == 1)
        {
            MatrixVector.Multiply(matrix, rows, columns, values, product);
            return;
        }

        Product(matrix, rows, columns, columns, 1, values, nameof(values), batch, product, accumulate: false);
    }

    /// <summary>product += matrix · values: matrix rows × columns, values columns × batch, product rows × batch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> values, int batch, Span<T> product)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch == 1)
        {
            MatrixVector.MultiplyAdd(matrix, rows, columns, values, product);
            return;
        }

        Product(matrix, rows, columns, columns, 1, values, nameof(values), batch, product, accumulate: true);
    }

    /// <summary>product = matrixᵀ · adjoints: matrix rows × columns, adjoints rows × batch, product columns × batch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void TransposedMultiply<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> adjoints, int batch, Span<T> product)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch == 1)
        {
            MatrixVector.TransposedMultiply(matrix, rows, columns, adjoints, product);
            return;
        }

        Product(matrix, columns, rows, 1, columns, adjoints, nameof(adjoints), batch, product, accumulate: false);
    }

    /// <summary>product += matrixᵀ · adjoints: matrix rows × columns, adjoints rows × batch, product columns × batch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void TransposedMultiplyAdd<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> adjoints, int batch, Span<T> product)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (batch == 1)
        {
            MatrixVector.TransposedMultiplyAdd(matrix, rows, columns, adjoints, product);
            return;
        }

        Product(matrix, columns, rows, 1, columns, adjoints, nameof(adjoints), batch, product, accumulate: true);
    }

    // product (rows × batch) (+)= A · S with A(i, k) = a[i·aRow + k·aColumn] (rows × inner) and S inner × batch.
    private static void Product<T>(ReadOnlySpan<T> a, int rows, int inner, int aRow, int aColumn, ReadOnlySpan<T> values, string valuesName,
        int batch, Span<T> product, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(a.Length, rows * inner, "matrix");
        LengthGuard.Require(values.Length, inner * batch, valuesName);
        LengthGuard.Require(product.Length, rows * batch, nameof(product));
        Product(ref MemoryMarshal.GetReference(a), rows, inner, aRow, aColumn, ref MemoryMarshal.GetReference(values), batch,
            ref MemoryMarshal.GetReference(product), batch, accumulate);
    }

    // product (rows × batch, its rows cRow elements apart) (+)= A · S: the vectors as wide as batch allows.
    private static void Product<T>(ref T a, int rows, int inner, int aRow, int aColumn, ref T s, int batch, ref T c, int cRow, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (VectorWidth.Use512<T>(batch))
        {
            Product<T, Vector512<T>, Vector512Ops<T>>(ref a, rows, inner, aRow, aColumn, ref s, batch, ref c, cRow, accumulate);
        }
        else if (VectorWidth.Use256<T>(batch))
        {
            Product<T, Vector256<T>, Vector256Ops<T>>(ref a, rows, inner, aRow, aColumn, ref s, batch, ref c, cRow, accumulate);
        }
        else if (VectorWidth.Use128<T>(batch))
        {
            Product<T, Vector128<T>, Vector128Ops<T>>(ref a, rows, inner, aRow, aColumn, ref s, batch, ref c, cRow, accumulate);
        }
        else
        {
            ScalarProduct(ref a, rows, inner, aRow, aColumn, ref s, batch, ref c, cRow, accumulate);
        }
    }

    private static void ScalarProduct<T>(ref T a, int rows, int inner, int aRow, int aColumn, ref T s, int batch, ref T c, int cRow, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            for (int b = 0; b < batch; b++)
            {
                T sum = T.Zero;
                for (int k = 0; k < inner; k++)
                {
                    sum = T.FusedMultiplyAdd(Unsafe.Add(ref a, (nint)i * aRow + (nint)k * aColumn), Unsafe.Add(ref s, (nint)k * batch + b), sum);
                }

                ref T target = ref Unsafe.Add(ref c, (nint)i * cRow + b);
                target = accumulate ? target + sum : sum;
            }
        }
    }

    // Blocks of 4 product rows × 4 vectors of streams (16 accumulators: each step of k loads 4 vectors and
    // broadcasts 4 weights for 16 FMAs), then 4 rows × 2 vectors and 4 rows × 1 vector; rows left over take 1 × 1.
    // A row of one or two vectors takes 8 rows at a time first (8 × 2 and 8 × 1 blocks): 4 rows would leave the FMA
    // units waiting on too few accumulators. S's rows are batch elements apart.
    private static void Product<T, TVector, TOps>(ref T a, int rows, int inner, int aRow, int aColumn, ref T s, int batch, ref T c, int cRow,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int width = TOps.Count, remainder = batch % width;
        int vectors = batch / width + (remainder != 0 ? 1 : 0);
        TVector all = TOps.LanesFrom(0), tailMask = TOps.LanesFrom(remainder == 0 ? 0 : width - remainder);
        int i = 0;
        if (vectors == 2)
        {
            for (; i + 8 <= rows; i += 8)
            {
                Block8x2<T, TVector, TOps>(ref a, inner, aRow, aColumn, ref s, batch, ref c, cRow, i, 0, batch - width, tailMask, accumulate);
            }
        }
        else if (vectors == 1)
        {
            for (; i + 8 <= rows; i += 8)
            {
                Block8x1<T, TVector, TOps>(ref a, inner, aRow, aColumn, ref s, batch, ref c, cRow, i, 0, tailMask, accumulate);
            }
        }

        for (; i + 4 <= rows; i += 4)
        {
            int v = 0;
            for (; v + 4 <= vectors; v += 4)
            {
                Block4x4<T, TVector, TOps>(ref a, inner, aRow, aColumn, ref s, batch, ref c, cRow, i, StreamOf(v, batch, width), width,
                    v + 3 == vectors - 1 ? tailMask : all, accumulate);
            }

            if (v + 2 <= vectors)
            {
                Block4x2<T, TVector, TOps>(ref a, inner, aRow, aColumn, ref s, batch, ref c, cRow, i, StreamOf(v, batch, width),
                    StreamOf(v + 1, batch, width), v + 1 == vectors - 1 ? tailMask : all, accumulate);
                v += 2;
            }

            if (v < vectors)
            {
                Block4x1<T, TVector, TOps>(ref a, inner, aRow, aColumn, ref s, batch, ref c, cRow, i, StreamOf(v, batch, width), tailMask, accumulate);
            }
        }

        for (; i < rows; i++)
        {
            for (int v = 0; v < vectors; v++)
            {
                Block1x1<T, TVector, TOps>(ref a, inner, aRow, aColumn, ref s, batch, ref c, cRow, i, StreamOf(v, batch, width),
                    v == vectors - 1 ? tailMask : all, accumulate);
            }
        }
    }

    /// <summary>The first stream of vector v: full vectors from 0, the last one ending at the last stream.</summary>
    private static int StreamOf(int v, int batch, int width) => Math.Min(v * width, batch - width);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x4<T, TVector, TOps>(ref T a, int inner, int aRow, int aColumn, ref T s, int batch, ref T c,
        int cRow, int row, int stream, int width, TVector lastMask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        // The fourth vector may be the overlapping last one: it starts at batch - width, not stream + 3 width.
        int s0 = stream, s1 = stream + width, s2 = stream + 2 * width, s3 = Math.Min(stream + 3 * width, batch - width);
        TVector p00 = TOps.Zero, p01 = TOps.Zero, p02 = TOps.Zero, p03 = TOps.Zero;
        TVector p10 = TOps.Zero, p11 = TOps.Zero, p12 = TOps.Zero, p13 = TOps.Zero;
        TVector p20 = TOps.Zero, p21 = TOps.Zero, p22 = TOps.Zero, p23 = TOps.Zero;
        TVector p30 = TOps.Zero, p31 = TOps.Zero, p32 = TOps.Zero, p33 = TOps.Zero;
        ref T w = ref Unsafe.Add(ref a, (nint)row * aRow);
        ref T x = ref s;
        for (int k = 0; k < inner; k++)
        {
            TVector x0 = TOps.Load(in x, (nuint)s0), x1 = TOps.Load(in x, (nuint)s1);
            TVector x2 = TOps.Load(in x, (nuint)s2), x3 = TOps.Load(in x, (nuint)s3);
            TVector w0 = TOps.Broadcast(w);
            p00 = TOps.MultiplyAdd(w0, x0, p00);
            p01 = TOps.MultiplyAdd(w0, x1, p01);
            p02 = TOps.MultiplyAdd(w0, x2, p02);
            p03 = TOps.MultiplyAdd(w0, x3, p03);
            TVector w1 = TOps.Broadcast(Unsafe.Add(ref w, aRow));
            p10 = TOps.MultiplyAdd(w1, x0, p10);
            p11 = TOps.MultiplyAdd(w1, x1, p11);
            p12 = TOps.MultiplyAdd(w1, x2, p12);
            p13 = TOps.MultiplyAdd(w1, x3, p13);
            TVector w2 = TOps.Broadcast(Unsafe.Add(ref w, 2 * aRow));
            p20 = TOps.MultiplyAdd(w2, x0, p20);
            p21 = TOps.MultiplyAdd(w2, x1, p21);
            p22 = TOps.MultiplyAdd(w2, x2, p22);
            p23 = TOps.MultiplyAdd(w2, x3, p23);
            TVector w3 = TOps.Broadcast(Unsafe.Add(ref w, 3 * aRow));
            p30 = TOps.MultiplyAdd(w3, x0, p30);
            p31 = TOps.MultiplyAdd(w3, x1, p31);
            p32 = TOps.MultiplyAdd(w3, x2, p32);
            p33 = TOps.MultiplyAdd(w3, x3, p33);
            w = ref Unsafe.Add(ref w, aColumn);
            x = ref Unsafe.Add(ref x, batch);
        }

        TVector all = TOps.LanesFrom(0);
        StoreRow<T, TVector, TOps>(ref c, cRow, row, s0, s1, s2, s3, p00, p01, p02, p03, all, lastMask, accumulate);
        StoreRow<T, TVector, TOps>(ref c, cRow, row + 1, s0, s1, s2, s3, p10, p11, p12, p13, all, lastMask, accumulate);
        StoreRow<T, TVector, TOps>(ref c, cRow, row + 2, s0, s1, s2, s3, p20, p21, p22, p23, all, lastMask, accumulate);
        StoreRow<T, TVector, TOps>(ref c, cRow, row + 3, s0, s1, s2, s3, p30, p31, p32, p33, all, lastMask, accumulate);
    }

    // The last vector is stored after the others: it may overlap the third, whose lanes it must then leave as stored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TVector, TOps>(ref T c, int cRow, int row, int s0, int s1, int s2, int s3,
        TVector p0, TVector p1, TVector p2, TVector p3, TVector all, TVector lastMask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        ref T start = ref Unsafe.Add(ref c, (nint)row * cRow);
        Store<T, TVector, TOps>(ref start, s0, p0, all, accumulate);
        Store<T, TVector, TOps>(ref start, s1, p1, all, accumulate);
        Store<T, TVector, TOps>(ref start, s2, p2, all, accumulate);
        Store<T, TVector, TOps>(ref start, s3, p3, lastMask, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TVector, TOps>(ref T row, int stream, TVector sum, TVector mask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TOps.Store(accumulate ? TOps.Add(TOps.Load(in row, (nuint)stream), TOps.BitwiseAnd(sum, mask)) : sum, ref row, (nuint)stream);
    }

    // 4 rows × 2 vectors: 8 accumulators, for batches of two vectors (32 float streams with AVX-512).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x2<T, TVector, TOps>(ref T a, int inner, int aRow, int aColumn, ref T s, int batch, ref T c,
        int cRow, int row, int s0, int s1, TVector lastMask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector p00 = TOps.Zero, p01 = TOps.Zero, p10 = TOps.Zero, p11 = TOps.Zero;
        TVector p20 = TOps.Zero, p21 = TOps.Zero, p30 = TOps.Zero, p31 = TOps.Zero;
        ref T w = ref Unsafe.Add(ref a, (nint)row * aRow);
        ref T x = ref s;
        for (int k = 0; k < inner; k++)
        {
            TVector x0 = TOps.Load(in x, (nuint)s0), x1 = TOps.Load(in x, (nuint)s1);
            TVector w0 = TOps.Broadcast(w), w1 = TOps.Broadcast(Unsafe.Add(ref w, aRow));
            TVector w2 = TOps.Broadcast(Unsafe.Add(ref w, 2 * aRow)), w3 = TOps.Broadcast(Unsafe.Add(ref w, 3 * aRow));
            p00 = TOps.MultiplyAdd(w0, x0, p00);
            p01 = TOps.MultiplyAdd(w0, x1, p01);
            p10 = TOps.MultiplyAdd(w1, x0, p10);
            p11 = TOps.MultiplyAdd(w1, x1, p11);
            p20 = TOps.MultiplyAdd(w2, x0, p20);
            p21 = TOps.MultiplyAdd(w2, x1, p21);
            p30 = TOps.MultiplyAdd(w3, x0, p30);
            p31 = TOps.MultiplyAdd(w3, x1, p31);
            w = ref Unsafe.Add(ref w, aColumn);
            x = ref Unsafe.Add(ref x, batch);
        }

        TVector all = TOps.LanesFrom(0);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)row * cRow), s0, s1, p00, p01, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 1) * cRow), s0, s1, p10, p11, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 2) * cRow), s0, s1, p20, p21, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 3) * cRow), s0, s1, p30, p31, all, lastMask, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair<T, TVector, TOps>(ref T row, int s0, int s1, TVector p0, TVector p1, TVector all, TVector lastMask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        Store<T, TVector, TOps>(ref row, s0, p0, all, accumulate);
        Store<T, TVector, TOps>(ref row, s1, p1, lastMask, accumulate);
    }

    // 4 rows × 1 vector: 4 independent accumulators, for the last vector of a row block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x1<T, TVector, TOps>(ref T a, int inner, int aRow, int aColumn, ref T s, int batch, ref T c,
        int cRow, int row, int stream, TVector mask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector p0 = TOps.Zero, p1 = TOps.Zero, p2 = TOps.Zero, p3 = TOps.Zero;
        ref T w = ref Unsafe.Add(ref a, (nint)row * aRow);
        ref T x = ref s;
        for (int k = 0; k < inner; k++)
        {
            TVector x0 = TOps.Load(in x, (nuint)stream);
            p0 = TOps.MultiplyAdd(TOps.Broadcast(w), x0, p0);
            p1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, aRow)), x0, p1);
            p2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 2 * aRow)), x0, p2);
            p3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 3 * aRow)), x0, p3);
            w = ref Unsafe.Add(ref w, aColumn);
            x = ref Unsafe.Add(ref x, batch);
        }

        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)row * cRow), stream, p0, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 1) * cRow), stream, p1, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 2) * cRow), stream, p2, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 3) * cRow), stream, p3, mask, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1x1<T, TVector, TOps>(ref T a, int inner, int aRow, int aColumn, ref T s, int batch, ref T c,
        int cRow, int row, int stream, TVector mask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector sum = TOps.Zero;
        ref T w = ref Unsafe.Add(ref a, (nint)row * aRow);
        ref T x = ref s;
        for (int k = 0; k < inner; k++)
        {
            sum = TOps.MultiplyAdd(TOps.Broadcast(w), TOps.Load(in x, (nuint)stream), sum);
            w = ref Unsafe.Add(ref w, aColumn);
            x = ref Unsafe.Add(ref x, batch);
        }

        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)row * cRow), stream, sum, mask, accumulate);
    }
}
