using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UnrolledRnn.Kernels;

/// <summary>
/// Matrix-vector products and the outer-product update for row-major matrices: the recurrent hot path
/// (W·h forward, Wᵀ·δ backward, dW += δ·xᵀ). Register-blocked and vectorised with the widest accelerated
/// vector that fits in a row; allocation-free. Spans must have exactly the stated lengths (checked once,
/// <see cref="ArgumentException"/> otherwise), and the destination must not overlap the inputs.
/// </summary>
public static partial class MatrixVector
{
    /// <summary>destination = W·v, for W of shape [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix">W, row-major: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of W.</param>
    /// <param name="columns">Columns of W.</param>
    /// <param name="vector">v: <paramref name="columns"/> elements.</param>
    /// <param name="destination">Receives W·v: <paramref name="rows"/> elements.</param>
    public static void Multiply<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> vector, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(matrix, rows, columns, vector, destination, accumulate: false);

    /// <summary>destination += W·v, for W of shape [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix">W, row-major: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of W.</param>
    /// <param name="columns">Columns of W.</param>
    /// <param name="vector">v: <paramref name="columns"/> elements.</param>
    /// <param name="destination">Accumulates W·v: <paramref name="rows"/> elements.</param>
    public static void MultiplyAdd<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> vector, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(matrix, rows, columns, vector, destination, accumulate: true);

    /// <summary>destination = Wᵀ·v, for W of shape [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix">W, row-major: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of W.</param>
    /// <param name="columns">Columns of W.</param>
    /// <param name="vector">v: <paramref name="rows"/> elements.</param>
    /// <param name="destination">Receives Wᵀ·v: <paramref name="columns"/> elements.</param>
    public static void TransposedMultiply<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> vector, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TransposedMultiply(matrix, rows, columns, vector, destination, accumulate: false);

    /// <summary>destination += Wᵀ·v, for W of shape [<paramref name="rows"/>, <paramref name="columns"/>].</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix">W, row-major: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of W.</param>
    /// <param name="columns">Columns of W.</param>
    /// <param name="vector">v: <paramref name="rows"/> elements.</param>
    /// <param name="destination">Accumulates Wᵀ·v: <paramref name="columns"/> elements.</param>
    public static void TransposedMultiplyAdd<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> vector, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TransposedMultiply(matrix, rows, columns, vector, destination, accumulate: true);

    /// <summary>
    /// matrix += left ⊗ right, that is matrix[i, j] += left[i] × right[j]: the weight-gradient update dW += δ·xᵀ.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="matrix">The row-major matrix to update: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of the matrix.</param>
    /// <param name="columns">Columns of the matrix.</param>
    /// <param name="left">The column factor (δ): <paramref name="rows"/> elements.</param>
    /// <param name="right">The row factor (x): <paramref name="columns"/> elements.</param>
    public static void AddOuterProduct<T>(Span<T> matrix, int rows, int columns, ReadOnlySpan<T> left, ReadOnlySpan<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(matrix.Length, rows * columns, nameof(matrix));
        LengthGuard.Require(left.Length, rows, nameof(left));
        LengthGuard.Require(right.Length, columns, nameof(right));
        ref T m = ref MemoryMarshal.GetReference(matrix);
        ref T l = ref MemoryMarshal.GetReference(left);
        ref T r = ref MemoryMarshal.GetReference(right);
        if (VectorWidth.Use512<T>(columns))
        {
            AddOuterProduct<T, Vector512<T>, Vector512Ops<T>>(ref m, rows, columns, ref l, ref r);
        }
        else if (VectorWidth.Use256<T>(columns))
        {
            AddOuterProduct<T, Vector256<T>, Vector256Ops<T>>(ref m, rows, columns, ref l, ref r);
        }
        else if (VectorWidth.Use128<T>(columns))
        {
            AddOuterProduct<T, Vector128<T>, Vector128Ops<T>>(ref m, rows, columns, ref l, ref r);
        }
        else
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    matrix[i * columns + j] += left[i] * right[j];
                }
            }
        }
    }

    private static void Multiply<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> vector, Span<T> destination,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(matrix.Length, rows * columns, nameof(matrix));
        LengthGuard.Require(vector.Length, columns, nameof(vector));
        LengthGuard.Require(destination.Length, rows, nameof(destination));
        ref T w = ref MemoryMarshal.GetReference(matrix);
        ref T v = ref MemoryMarshal.GetReference(vector);
        ref T d = ref MemoryMarshal.GetReference(destination);
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && columns >= 16 && rows >= 16)
        {
            int done = MultiplySixteenRows(ref Unsafe.As<T, float>(ref w), rows, columns, ref Unsafe.As<T, float>(ref v), default,
                ref Unsafe.NullRef<float>(), false, ref Unsafe.NullRef<float>(), false, ref Unsafe.As<T, float>(ref d), accumulate);
            w = ref Unsafe.Add(ref w, (nint)done * columns);
            d = ref Unsafe.Add(ref d, done);
            rows -= done;
        }

        if (rows == 0)
        {
            return;
        }

        if (VectorWidth.Use512<T>(columns))
        {
            Multiply<T, Vector512<T>, Vector512Ops<T>>(ref w, rows, columns, ref v, ref d, accumulate);
        }
        else if (VectorWidth.Use256<T>(columns))
        {
            Multiply<T, Vector256<T>, Vector256Ops<T>>(ref w, rows, columns, ref v, ref d, accumulate);
        }
        else if (VectorWidth.Use128<T>(columns))
        {
            Multiply<T, Vector128<T>, Vector128Ops<T>>(ref w, rows, columns, ref v, ref d, accumulate);
        }
        else
        {
            for (int i = 0; i < rows; i++)
            {
                T sum = accumulate ? destination[i] : T.Zero;
                for (int j = 0; j < columns; j++)
                {
                    sum += matrix[i * columns + j] * vector[j];
                }
                destination[i] = sum;
            }
        }
    }

    private static void TransposedMultiply<T>(ReadOnlySpan<T> matrix, int rows, int columns, ReadOnlySpan<T> vector,
        Span<T> destination, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(matrix.Length, rows * columns, nameof(matrix));
        LengthGuard.Require(vector.Length, rows, nameof(vector));
        LengthGuard.Require(destination.Length, columns, nameof(destination));
        ref T w = ref MemoryMarshal.GetReference(matrix);
        ref T v = ref MemoryMarshal.GetReference(vector);
        ref T d = ref MemoryMarshal.GetReference(destination);
        if (VectorWidth.Use512<T>(columns))
        {
            TransposedMultiply<T, Vector512<T>, Vector512Ops<T>>(ref w, rows, columns, ref v, ref d, accumulate);
        }
        else if (VectorWidth.Use256<T>(columns))
        {
            TransposedMultiply<T, Vector256<T>, Vector256Ops<T>>(ref w, rows, columns, ref v, ref d, accumulate);
        }
        else if (VectorWidth.Use128<T>(columns))
        {
            TransposedMultiply<T, Vector128<T>, Vector128Ops<T>>(ref w, rows, columns, ref v, ref d, accumulate);
        }
        else
        {
            if (!accumulate)
            {
                destination.Clear();
            }
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    destination[j] += matrix[i * columns + j] * vector[i];
                }
            }
        }
    }

    // W·v, four rows at a time: each row's dot product is left as a vector of partial sums, and StoreSums
    // reduces the four together. Columns past the last full vector are covered by one more vector ending at
    // the last column, multiplied by a copy of v's last vector whose already-counted lanes are zeroed.
    // Long rows (four vectors or more) are read one after the other, with four accumulators each: reading
    // them side by side was measured up to 1.5x slower while W streams from L2. Short rows are read side by
    // side, so that each load of v feeds four FMAs. Requires columns >= TOps.Count.
    private static void Multiply<T, TVector, TOps>(ref T w, int rows, int columns, ref T v, ref T d, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int count = TOps.Count;
        bool hasTail = columns % count != 0;
        nuint fullColumns = (nuint)(columns - columns % count);
        nuint tailOffset = (nuint)(columns - count);
        TVector tailOfVector = hasTail
            ? TOps.BitwiseAnd(TOps.Load(in v, tailOffset), TOps.LanesFrom(count - columns % count))
            : TOps.Zero;
        bool longRows = fullColumns >= 4 * (nuint)count;

        int i = 0;
        for (; i <= rows - 4; i += 4)
        {
            ref T row0 = ref Unsafe.Add(ref w, (nint)i * columns);
            ref T row1 = ref Unsafe.Add(ref row0, columns);
            ref T row2 = ref Unsafe.Add(ref row1, columns);
            ref T row3 = ref Unsafe.Add(ref row2, columns);
            TVector sum0, sum1, sum2, sum3;
            if (longRows)
            {
                sum0 = RowDot<T, TVector, TOps>(ref row0, ref v, fullColumns, hasTail, tailOffset, tailOfVector);
                sum1 = RowDot<T, TVector, TOps>(ref row1, ref v, fullColumns, hasTail, tailOffset, tailOfVector);
                sum2 = RowDot<T, TVector, TOps>(ref row2, ref v, fullColumns, hasTail, tailOffset, tailOfVector);
                sum3 = RowDot<T, TVector, TOps>(ref row3, ref v, fullColumns, hasTail, tailOffset, tailOfVector);
            }
            else
            {
                sum0 = sum1 = sum2 = sum3 = TOps.Zero;
                for (nuint j = 0; j < fullColumns; j += (nuint)count)
                {
                    TVector x = TOps.Load(in v, j);
                    sum0 = TOps.MultiplyAdd(TOps.Load(in row0, j), x, sum0);
                    sum1 = TOps.MultiplyAdd(TOps.Load(in row1, j), x, sum1);
                    sum2 = TOps.MultiplyAdd(TOps.Load(in row2, j), x, sum2);
                    sum3 = TOps.MultiplyAdd(TOps.Load(in row3, j), x, sum3);
                }
                if (hasTail)
                {
                    sum0 = TOps.MultiplyAdd(TOps.Load(in row0, tailOffset), tailOfVector, sum0);
                    sum1 = TOps.MultiplyAdd(TOps.Load(in row1, tailOffset), tailOfVector, sum1);
                    sum2 = TOps.MultiplyAdd(TOps.Load(in row2, tailOffset), tailOfVector, sum2);
                    sum3 = TOps.MultiplyAdd(TOps.Load(in row3, tailOffset), tailOfVector, sum3);
                }
            }
            StoreSums(TOps.SumTo128(sum0), TOps.SumTo128(sum1), TOps.SumTo128(sum2), TOps.SumTo128(sum3),
                ref Unsafe.Add(ref d, i), accumulate);
        }
        for (; i < rows; i++)
        {
            ref T row = ref Unsafe.Add(ref w, (nint)i * columns);
            T sum = TOps.Sum(RowDot<T, TVector, TOps>(ref row, ref v, fullColumns, hasTail, tailOffset, tailOfVector));
            ref T result = ref Unsafe.Add(ref d, i);
            result = accumulate ? result + sum : sum;
        }
    }

    // One row's dot product with v, as a vector of partial sums, with four independent accumulators.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector RowDot<T, TVector, TOps>(ref T row, ref T v, nuint fullColumns, bool hasTail, nuint tailOffset,
        TVector tailOfVector)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint count = (nuint)TOps.Count;
        TVector sum0 = hasTail ? TOps.Multiply(TOps.Load(in row, tailOffset), tailOfVector) : TOps.Zero;
        TVector sum1 = TOps.Zero, sum2 = TOps.Zero, sum3 = TOps.Zero;
        nuint j = 0;
        for (; j + 4 * count <= fullColumns; j += 4 * count)
        {
            sum0 = TOps.MultiplyAdd(TOps.Load(in row, j), TOps.Load(in v, j), sum0);
            sum1 = TOps.MultiplyAdd(TOps.Load(in row, j + count), TOps.Load(in v, j + count), sum1);
            sum2 = TOps.MultiplyAdd(TOps.Load(in row, j + 2 * count), TOps.Load(in v, j + 2 * count), sum2);
            sum3 = TOps.MultiplyAdd(TOps.Load(in row, j + 3 * count), TOps.Load(in v, j + 3 * count), sum3);
        }
        for (; j < fullColumns; j += count)
        {
            sum1 = TOps.MultiplyAdd(TOps.Load(in row, j), TOps.Load(in v, j), sum1);
        }
        return TOps.Add(TOps.Add(sum0, sum1), TOps.Add(sum2, sum3));
    }

    // Writes (or adds) the lane sums of four vectors to destination[0..4). A horizontal sum per vector would
    // spend most of its shuffles on nearly empty vectors; instead pairs of vectors are folded together,
    // Fold(a, b, k) leaving the sums of lanes i and i ^ k of a in the lanes with bit k clear and those of b
    // in the lanes with bit k set, until each lane holds one vector's total.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums<T>(Vector128<T> s0, Vector128<T> s1, Vector128<T> s2, Vector128<T> s3, ref T destination,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<T> sums = Fold(Fold(s0, s2, 2), Fold(s1, s3, 2), 1);
            (accumulate ? Vector128.LoadUnsafe(ref destination) + sums : sums).StoreUnsafe(ref destination);
        }
        else
        {
            Vector128<T> sums01 = Fold(s0, s1, 1), sums23 = Fold(s2, s3, 1);
            ref T destination23 = ref Unsafe.Add(ref destination, 2);
            (accumulate ? Vector128.LoadUnsafe(ref destination) + sums01 : sums01).StoreUnsafe(ref destination);
            (accumulate ? Vector128.LoadUnsafe(ref destination23) + sums23 : sums23).StoreUnsafe(ref destination23);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fold<T>(Vector128<T> a, Vector128<T> b, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector128<T> bitClear, aThenB, bThenA;
        if (typeof(T) == typeof(float))
        {
            bitClear = (k == 2 ? Vector128.Create(-1, -1, 0, 0) : Vector128.Create(-1, 0, -1, 0)).As<int, T>();
            aThenB = Vector128.ConditionalSelect(bitClear, a, b);
            bThenA = Vector128.ConditionalSelect(bitClear, b, a);
            Vector128<int> partner = k == 2 ? Vector128.Create(2, 3, 0, 1) : Vector128.Create(1, 0, 3, 2);
            return aThenB + Vector128.Shuffle(bThenA.AsSingle(), partner).As<float, T>();
        }
        bitClear = Vector128.Create(-1L, 0L).As<long, T>();
        aThenB = Vector128.ConditionalSelect(bitClear, a, b);
        bThenA = Vector128.ConditionalSelect(bitClear, b, a);
        return aThenB + Vector128.Shuffle(bThenA.AsDouble(), Vector128.Create(1L, 0L)).As<double, T>();
    }

    // Wᵀ·v as the sum of the rows scaled by v[i] (axpy), a strip of columns at a time, the strip held in
    // accumulators while all the rows stream past: strips of eight vectors (a whole row of 128 floats, so W
    // is read in memory order, which measured 2x faster than narrower strips), then pairs of vectors, then single
    // vectors, then one vector ending at the last column, of which only the lanes not yet written are stored.
    // Requires columns >= TOps.Count.
    private static void TransposedMultiply<T, TVector, TOps>(ref T w, int rows, int columns, ref T v, ref T d,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int count = TOps.Count;
        int j = 0;
        for (; j <= columns - 8 * count; j += 8 * count)
        {
            TransposedStrip8<T, TVector, TOps>(ref Unsafe.Add(ref w, j), rows, columns, ref v, ref Unsafe.Add(ref d, j),
                accumulate);
        }
        for (; j <= columns - 2 * count; j += 2 * count)
        {
            TransposedStrip2<T, TVector, TOps>(ref Unsafe.Add(ref w, j), rows, columns, ref v, out TVector first, out TVector second);
            nuint at = (nuint)j;
            VectorStore.StoreOrAdd<T, TVector, TOps>(first, ref d, at, accumulate);
            VectorStore.StoreOrAdd<T, TVector, TOps>(second, ref d, at + (nuint)count, accumulate);
        }
        for (; j <= columns - count; j += count)
        {
            TVector sum = TransposedStrip1<T, TVector, TOps>(ref Unsafe.Add(ref w, j), rows, columns, ref v);
            VectorStore.StoreOrAdd<T, TVector, TOps>(sum, ref d, (nuint)j, accumulate);
        }
        if (j < columns)
        {
            int start = columns - count;
            TVector sum = TransposedStrip1<T, TVector, TOps>(ref Unsafe.Add(ref w, start), rows, columns, ref v);
            TVector current = TOps.Load(in d, (nuint)start);
            TVector updated = accumulate ? TOps.Add(current, sum) : sum;
            TOps.Store(TOps.ConditionalSelect(TOps.LanesFrom(j - start), updated, current), ref d, (nuint)start);
        }
    }

    // Eight vectors of columns, all held in accumulators while the rows stream past once.
    private static void TransposedStrip8<T, TVector, TOps>(ref T w, int rows, int columns, ref T v, ref T d,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint c = (nuint)TOps.Count;
        TVector sum0 = TOps.Zero, sum1 = TOps.Zero, sum2 = TOps.Zero, sum3 = TOps.Zero;
        TVector sum4 = TOps.Zero, sum5 = TOps.Zero, sum6 = TOps.Zero, sum7 = TOps.Zero;
        if (accumulate)
        {
            sum0 = TOps.Load(in d, 0);
            sum1 = TOps.Load(in d, c);
            sum2 = TOps.Load(in d, 2 * c);
            sum3 = TOps.Load(in d, 3 * c);
            sum4 = TOps.Load(in d, 4 * c);
            sum5 = TOps.Load(in d, 5 * c);
            sum6 = TOps.Load(in d, 6 * c);
            sum7 = TOps.Load(in d, 7 * c);
        }
        for (int i = 0; i < rows; i++)
        {
            ref T row = ref Unsafe.Add(ref w, (nint)i * columns);
            TVector a = TOps.Broadcast(Unsafe.Add(ref v, i));
            sum0 = TOps.MultiplyAdd(TOps.Load(in row, 0), a, sum0);
            sum1 = TOps.MultiplyAdd(TOps.Load(in row, c), a, sum1);
            sum2 = TOps.MultiplyAdd(TOps.Load(in row, 2 * c), a, sum2);
            sum3 = TOps.MultiplyAdd(TOps.Load(in row, 3 * c), a, sum3);
            sum4 = TOps.MultiplyAdd(TOps.Load(in row, 4 * c), a, sum4);
            sum5 = TOps.MultiplyAdd(TOps.Load(in row, 5 * c), a, sum5);
            sum6 = TOps.MultiplyAdd(TOps.Load(in row, 6 * c), a, sum6);
            sum7 = TOps.MultiplyAdd(TOps.Load(in row, 7 * c), a, sum7);
        }
        TOps.Store(sum0, ref d, 0);
        TOps.Store(sum1, ref d, c);
        TOps.Store(sum2, ref d, 2 * c);
        TOps.Store(sum3, ref d, 3 * c);
        TOps.Store(sum4, ref d, 4 * c);
        TOps.Store(sum5, ref d, 5 * c);
        TOps.Store(sum6, ref d, 6 * c);
        TOps.Store(sum7, ref d, 7 * c);
    }

    // Two vectors of columns (rows of 2 to 7 vectors, as W_hh of a cell with 32 to 112 units), four rows per
    // iteration into eight accumulators, so eight FMA chains overlap and each broadcast of v feeds two FMAs; the row
    // reference moves by whole rows, so every load is one addressing mode.
    private static void TransposedStrip2<T, TVector, TOps>(ref T w, int rows, int columns, ref T v, out TVector first,
        out TVector second)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint c = (nuint)TOps.Count;
        TVector a0 = TOps.Zero, a1 = TOps.Zero, b0 = TOps.Zero, b1 = TOps.Zero;
        TVector e0 = TOps.Zero, e1 = TOps.Zero, f0 = TOps.Zero, f1 = TOps.Zero;
        ref T row = ref w;
        int i = 0;
        for (; i <= rows - 4; i += 4)
        {
            ref T row1 = ref Unsafe.Add(ref row, columns);
            ref T row2 = ref Unsafe.Add(ref row1, columns);
            ref T row3 = ref Unsafe.Add(ref row2, columns);
            TVector v0 = TOps.Broadcast(Unsafe.Add(ref v, i)), v1 = TOps.Broadcast(Unsafe.Add(ref v, i + 1));
            TVector v2 = TOps.Broadcast(Unsafe.Add(ref v, i + 2)), v3 = TOps.Broadcast(Unsafe.Add(ref v, i + 3));
            a0 = TOps.MultiplyAdd(TOps.Load(in row, 0), v0, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(in row, c), v0, a1);
            b0 = TOps.MultiplyAdd(TOps.Load(in row1, 0), v1, b0);
            b1 = TOps.MultiplyAdd(TOps.Load(in row1, c), v1, b1);
            e0 = TOps.MultiplyAdd(TOps.Load(in row2, 0), v2, e0);
            e1 = TOps.MultiplyAdd(TOps.Load(in row2, c), v2, e1);
            f0 = TOps.MultiplyAdd(TOps.Load(in row3, 0), v3, f0);
            f1 = TOps.MultiplyAdd(TOps.Load(in row3, c), v3, f1);
            row = ref Unsafe.Add(ref row3, columns);
        }
        for (; i < rows; i++)
        {
            TVector vi = TOps.Broadcast(Unsafe.Add(ref v, i));
            a0 = TOps.MultiplyAdd(TOps.Load(in row, 0), vi, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(in row, c), vi, a1);
            row = ref Unsafe.Add(ref row, columns);
        }
        first = TOps.Add(TOps.Add(a0, b0), TOps.Add(e0, f0));
        second = TOps.Add(TOps.Add(a1, b1), TOps.Add(e1, f1));
    }

    // One vector of columns, four rows per iteration into four accumulators, so the FMA chains overlap.
    private static TVector TransposedStrip1<T, TVector, TOps>(ref T w, int rows, int columns, ref T v)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector sum0 = TOps.Zero, sum1 = TOps.Zero, sum2 = TOps.Zero, sum3 = TOps.Zero;
        int i = 0;
        for (; i <= rows - 4; i += 4)
        {
            ref T row = ref Unsafe.Add(ref w, (nint)i * columns);
            sum0 = TOps.MultiplyAdd(TOps.Load(in row, 0), TOps.Broadcast(Unsafe.Add(ref v, i)), sum0);
            sum1 = TOps.MultiplyAdd(TOps.Load(in row, (nuint)columns), TOps.Broadcast(Unsafe.Add(ref v, i + 1)), sum1);
            sum2 = TOps.MultiplyAdd(TOps.Load(in row, (nuint)(2 * columns)), TOps.Broadcast(Unsafe.Add(ref v, i + 2)), sum2);
            sum3 = TOps.MultiplyAdd(TOps.Load(in row, (nuint)(3 * columns)), TOps.Broadcast(Unsafe.Add(ref v, i + 3)), sum3);
        }
        for (; i < rows; i++)
        {
            sum0 = TOps.MultiplyAdd(TOps.Load(in w, (nuint)((nint)i * columns)), TOps.Broadcast(Unsafe.Add(ref v, i)), sum0);
        }
        return TOps.Add(TOps.Add(sum0, sum1), TOps.Add(sum2, sum3));
    }

    // matrix[i, :] += left[i] × right, row by row. The last, overlapping vector of each row is computed from
    // the row's original values before the full vectors are stored, so the lanes it shares with the last
    // full vector are written twice with the same value. Requires columns >= TOps.Count.
    private static void AddOuterProduct<T, TVector, TOps>(ref T m, int rows, int columns, ref T left, ref T right)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int count = TOps.Count;
        bool hasTail = columns % count != 0;
        nuint fullColumns = (nuint)(columns - columns % count);
        nuint tailOffset = (nuint)(columns - count);
        TVector tailOfRight = TOps.Load(in right, tailOffset);
        for (int i = 0; i < rows; i++)
        {
            ref T row = ref Unsafe.Add(ref m, (nint)i * columns);
            TVector scale = TOps.Broadcast(Unsafe.Add(ref left, i));
            TVector tail = hasTail ? TOps.MultiplyAdd(scale, tailOfRight, TOps.Load(in row, tailOffset)) : TOps.Zero;
            for (nuint j = 0; j < fullColumns; j += (nuint)count)
            {
                TOps.Store(TOps.MultiplyAdd(scale, TOps.Load(in right, j), TOps.Load(in row, j)), ref row, j);
            }
            if (hasTail)
            {
                TOps.Store(tail, ref row, tailOffset);
            }
        }
    }
}
