using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

public static partial class MatrixVector
{
    /// <summary>
    /// destination = Mᵀ·[v1; v2] + a, for M = [W1 W2]ᵀ: the sum W1·v1 + W2·v2 + a of
    /// <see cref="MultiplySum{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, ReadOnlySpan{T}, int, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    /// with the weights stored transposed and stacked (row k of M is column k of [W1 W2], what multiplies element k of
    /// [v1; v2]; <see cref="TransposeInto{T}"/> writes it). Each element of v1, then of v2, is broadcast and multiplied
    /// into a strip of the destination held in registers, so no dot product is reduced across lanes: at 16-32 units the
    /// reduction of the row-major kernel costs as much as its products. The layout of a prepared inference snapshot.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="stacked">M, row-major: (|v1| + |v2|) × <paramref name="rows"/> elements.</param>
    /// <param name="rows">Rows of W1 and W2: the length of the destination.</param>
    /// <param name="vector1">v1.</param>
    /// <param name="vector2">v2, or empty when there is one product.</param>
    /// <param name="addend">a: <paramref name="rows"/> elements, or empty for none.</param>
    /// <param name="destination">Receives the sum: <paramref name="rows"/> elements.</param>
    public static void MultiplyStacked<T>(ReadOnlySpan<T> stacked, int rows, ReadOnlySpan<T> vector1, ReadOnlySpan<T> vector2,
        ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(stacked.Length, (vector1.Length + vector2.Length) * rows, nameof(stacked));
        LengthGuard.Require(addend.Length, addend.IsEmpty ? 0 : rows, nameof(addend));
        LengthGuard.Require(destination.Length, rows, nameof(destination));
        var operands = new StackedOperands<T>(ref MemoryMarshal.GetReference(vector1), vector1.Length,
            ref MemoryMarshal.GetReference(vector2), vector2.Length);
        ref T m = ref MemoryMarshal.GetReference(stacked);
        ref T a = ref MemoryMarshal.GetReference(addend);
        ref T d = ref MemoryMarshal.GetReference(destination);
        if (VectorWidth.Use512<T>(rows))
        {
            MultiplyStacked<T, Vector512<T>, Vector512Ops<T>>(ref m, rows, operands, ref a, !addend.IsEmpty, ref d);
        }
        else if (VectorWidth.Use256<T>(rows))
        {
            MultiplyStacked<T, Vector256<T>, Vector256Ops<T>>(ref m, rows, operands, ref a, !addend.IsEmpty, ref d);
        }
        else if (VectorWidth.Use128<T>(rows))
        {
            MultiplyStacked<T, Vector128<T>, Vector128Ops<T>>(ref m, rows, operands, ref a, !addend.IsEmpty, ref d);
        }
        else
        {
            int columns = vector1.Length + vector2.Length;
            for (int r = 0; r < rows; r++)
            {
                T sum = addend.IsEmpty ? T.Zero : addend[r];
                for (int k = 0; k < columns; k++)
                {
                    sum += stacked[k * rows + r] * (k < vector1.Length ? vector1[k] : vector2[k - vector1.Length]);
                }
                destination[r] = sum;
            }
        }
    }

    /// <summary>
    /// Writes Wᵀ (<paramref name="columns"/> × <paramref name="rows"/>) into <paramref name="destination"/>: with
    /// W2ᵀ written right after W1ᵀ, the stacked layout <see cref="MultiplyStacked{T}"/> reads.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="matrix">W, row-major: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows of W.</param>
    /// <param name="columns">Columns of W.</param>
    /// <param name="destination">Receives Wᵀ, row-major: <paramref name="columns"/> × <paramref name="rows"/> elements.</param>
    public static void TransposeInto<T>(ReadOnlySpan<T> matrix, int rows, int columns, Span<T> destination)
    {
        LengthGuard.Require(matrix.Length, rows * columns, nameof(matrix));
        LengthGuard.Require(destination.Length, rows * columns, nameof(destination));
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < columns; k++)
            {
                destination[k * rows + r] = matrix[r * columns + k];
            }
        }
    }

    /// <summary>[v1; v2] without a copy: the two vectors a stacked product reads one after the other.</summary>
    private readonly ref struct StackedOperands<T>
    {
        public readonly ref T First;
        public readonly int FirstLength;
        public readonly ref T Second;
        public readonly int SecondLength;

        public StackedOperands(ref T first, int firstLength, ref T second, int secondLength)
        {
            First = ref first;
            FirstLength = firstLength;
            Second = ref second;
            SecondLength = secondLength;
        }
    }

    // Strips of the destination held in registers while the rows of M stream past, each strip's sum split over
    // sixteen accumulators so that the FMA latency (4 cycles, two FMAs a cycle) is covered even when [v1; v2] is short:
    // eight vectors with two chains each (even and odd k), four vectors with four chains each, then single vectors
    // with four chains, then one vector ending at the last row (its lanes shared with the vector before are written
    // again with a sum in another order). With one accumulator per vector, each chain of an LSTM H = 32 would be 48
    // dependent FMAs (4 cycles each: 192 cycles, as long as the 384 FMAs take at two a cycle), leaving the scheduler
    // no slack; the hand-written reference splits its chains the same way. Requires rows >= TOps.Count.
    private static void MultiplyStacked<T, TVector, TOps>(ref T m, int rows, StackedOperands<T> v, ref T a, bool hasAddend, ref T d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        int count = TOps.Count;
        int j = 0;
        for (; j <= rows - 8 * count; j += 8 * count)
        {
            StackedStrip8<T, TVector, TOps>(ref Unsafe.Add(ref m, j), rows, v, ref Unsafe.Add(ref a, j), hasAddend, ref Unsafe.Add(ref d, j));
        }
        for (; j <= rows - 4 * count; j += 4 * count)
        {
            StackedStrip4<T, TVector, TOps>(ref Unsafe.Add(ref m, j), rows, v, ref Unsafe.Add(ref a, j), hasAddend, ref Unsafe.Add(ref d, j));
        }
        for (; j <= rows - count; j += count)
        {
            StackedStrip1<T, TVector, TOps>(ref Unsafe.Add(ref m, j), rows, v, ref Unsafe.Add(ref a, j), hasAddend, ref Unsafe.Add(ref d, j));
        }
        if (j < rows)
        {
            int start = rows - count;
            StackedStrip1<T, TVector, TOps>(ref Unsafe.Add(ref m, start), rows, v, ref Unsafe.Add(ref a, start), hasAddend, ref Unsafe.Add(ref d, start));
        }
    }

    private static void StackedStrip8<T, TVector, TOps>(ref T m, int rows, StackedOperands<T> v, ref T a, bool hasAddend, ref T d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint c = (nuint)TOps.Count;
        TVector s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        TVector s4 = TOps.Zero, s5 = TOps.Zero, s6 = TOps.Zero, s7 = TOps.Zero;
        TVector t0 = TOps.Zero, t1 = TOps.Zero, t2 = TOps.Zero, t3 = TOps.Zero;
        TVector t4 = TOps.Zero, t5 = TOps.Zero, t6 = TOps.Zero, t7 = TOps.Zero;
        if (hasAddend)
        {
            s0 = TOps.Load(in a, 0);
            s1 = TOps.Load(in a, c);
            s2 = TOps.Load(in a, 2 * c);
            s3 = TOps.Load(in a, 3 * c);
            s4 = TOps.Load(in a, 4 * c);
            s5 = TOps.Load(in a, 5 * c);
            s6 = TOps.Load(in a, 6 * c);
            s7 = TOps.Load(in a, 7 * c);
        }
        ref T row = ref m;
        ref T x = ref v.First;
        int n = v.FirstLength;
        for (int part = 0; part < 2; part++)
        {
            int k = 0;
            for (; k <= n - 2; k += 2)
            {
                ref T next = ref Unsafe.Add(ref row, rows);
                TVector e = TOps.Broadcast(Unsafe.Add(ref x, k)), f = TOps.Broadcast(Unsafe.Add(ref x, k + 1));
                s0 = TOps.MultiplyAdd(TOps.Load(in row, 0), e, s0);
                s1 = TOps.MultiplyAdd(TOps.Load(in row, c), e, s1);
                s2 = TOps.MultiplyAdd(TOps.Load(in row, 2 * c), e, s2);
                s3 = TOps.MultiplyAdd(TOps.Load(in row, 3 * c), e, s3);
                s4 = TOps.MultiplyAdd(TOps.Load(in row, 4 * c), e, s4);
                s5 = TOps.MultiplyAdd(TOps.Load(in row, 5 * c), e, s5);
                s6 = TOps.MultiplyAdd(TOps.Load(in row, 6 * c), e, s6);
                s7 = TOps.MultiplyAdd(TOps.Load(in row, 7 * c), e, s7);
                t0 = TOps.MultiplyAdd(TOps.Load(in next, 0), f, t0);
                t1 = TOps.MultiplyAdd(TOps.Load(in next, c), f, t1);
                t2 = TOps.MultiplyAdd(TOps.Load(in next, 2 * c), f, t2);
                t3 = TOps.MultiplyAdd(TOps.Load(in next, 3 * c), f, t3);
                t4 = TOps.MultiplyAdd(TOps.Load(in next, 4 * c), f, t4);
                t5 = TOps.MultiplyAdd(TOps.Load(in next, 5 * c), f, t5);
                t6 = TOps.MultiplyAdd(TOps.Load(in next, 6 * c), f, t6);
                t7 = TOps.MultiplyAdd(TOps.Load(in next, 7 * c), f, t7);
                row = ref Unsafe.Add(ref next, rows);
            }
            if (k < n)
            {
                TVector e = TOps.Broadcast(Unsafe.Add(ref x, k));
                s0 = TOps.MultiplyAdd(TOps.Load(in row, 0), e, s0);
                s1 = TOps.MultiplyAdd(TOps.Load(in row, c), e, s1);
                s2 = TOps.MultiplyAdd(TOps.Load(in row, 2 * c), e, s2);
                s3 = TOps.MultiplyAdd(TOps.Load(in row, 3 * c), e, s3);
                s4 = TOps.MultiplyAdd(TOps.Load(in row, 4 * c), e, s4);
                s5 = TOps.MultiplyAdd(TOps.Load(in row, 5 * c), e, s5);
                s6 = TOps.MultiplyAdd(TOps.Load(in row, 6 * c), e, s6);
                s7 = TOps.MultiplyAdd(TOps.Load(in row, 7 * c), e, s7);
                row = ref Unsafe.Add(ref row, rows);
            }
            x = ref v.Second;
            n = v.SecondLength;
        }
        TOps.Store(TOps.Add(s0, t0), ref d, 0);
        TOps.Store(TOps.Add(s1, t1), ref d, c);
        TOps.Store(TOps.Add(s2, t2), ref d, 2 * c);
        TOps.Store(TOps.Add(s3, t3), ref d, 3 * c);
        TOps.Store(TOps.Add(s4, t4), ref d, 4 * c);
        TOps.Store(TOps.Add(s5, t5), ref d, 5 * c);
        TOps.Store(TOps.Add(s6, t6), ref d, 6 * c);
        TOps.Store(TOps.Add(s7, t7), ref d, 7 * c);
    }

    private static void StackedStrip4<T, TVector, TOps>(ref T m, int rows, StackedOperands<T> v, ref T a, bool hasAddend, ref T d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint c = (nuint)TOps.Count;
        TVector s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        TVector t0 = TOps.Zero, t1 = TOps.Zero, t2 = TOps.Zero, t3 = TOps.Zero;
        TVector u0 = TOps.Zero, u1 = TOps.Zero, u2 = TOps.Zero, u3 = TOps.Zero;
        TVector w0 = TOps.Zero, w1 = TOps.Zero, w2 = TOps.Zero, w3 = TOps.Zero;
        if (hasAddend)
        {
            s0 = TOps.Load(in a, 0);
            s1 = TOps.Load(in a, c);
            s2 = TOps.Load(in a, 2 * c);
            s3 = TOps.Load(in a, 3 * c);
        }
        ref T row = ref m;
        ref T x = ref v.First;
        int n = v.FirstLength;
        for (int part = 0; part < 2; part++)
        {
            int k = 0;
            for (; k <= n - 4; k += 4)
            {
                ref T row1 = ref Unsafe.Add(ref row, rows);
                ref T row2 = ref Unsafe.Add(ref row1, rows);
                ref T row3 = ref Unsafe.Add(ref row2, rows);
                TVector e = TOps.Broadcast(Unsafe.Add(ref x, k)), f = TOps.Broadcast(Unsafe.Add(ref x, k + 1));
                TVector g = TOps.Broadcast(Unsafe.Add(ref x, k + 2)), h = TOps.Broadcast(Unsafe.Add(ref x, k + 3));
                s0 = TOps.MultiplyAdd(TOps.Load(in row, 0), e, s0);
                s1 = TOps.MultiplyAdd(TOps.Load(in row, c), e, s1);
                s2 = TOps.MultiplyAdd(TOps.Load(in row, 2 * c), e, s2);
                s3 = TOps.MultiplyAdd(TOps.Load(in row, 3 * c), e, s3);
                t0 = TOps.MultiplyAdd(TOps.Load(in row1, 0), f, t0);
                t1 = TOps.MultiplyAdd(TOps.Load(in row1, c), f, t1);
                t2 = TOps.MultiplyAdd(TOps.Load(in row1, 2 * c), f, t2);
                t3 = TOps.MultiplyAdd(TOps.Load(in row1, 3 * c), f, t3);
                u0 = TOps.MultiplyAdd(TOps.Load(in row2, 0), g, u0);
                u1 = TOps.MultiplyAdd(TOps.Load(in row2, c), g, u1);
                u2 = TOps.MultiplyAdd(TOps.Load(in row2, 2 * c), g, u2);
                u3 = TOps.MultiplyAdd(TOps.Load(in row2, 3 * c), g, u3);
                w0 = TOps.MultiplyAdd(TOps.Load(in row3, 0), h, w0);
                w1 = TOps.MultiplyAdd(TOps.Load(in row3, c), h, w1);
                w2 = TOps.MultiplyAdd(TOps.Load(in row3, 2 * c), h, w2);
                w3 = TOps.MultiplyAdd(TOps.Load(in row3, 3 * c), h, w3);
                row = ref Unsafe.Add(ref row3, rows);
            }
            for (; k < n; k++)
            {
                TVector e = TOps.Broadcast(Unsafe.Add(ref x, k));
                s0 = TOps.MultiplyAdd(TOps.Load(in row, 0), e, s0);
                s1 = TOps.MultiplyAdd(TOps.Load(in row, c), e, s1);
                s2 = TOps.MultiplyAdd(TOps.Load(in row, 2 * c), e, s2);
                s3 = TOps.MultiplyAdd(TOps.Load(in row, 3 * c), e, s3);
                row = ref Unsafe.Add(ref row, rows);
            }
            x = ref v.Second;
            n = v.SecondLength;
        }
        TOps.Store(TOps.Add(TOps.Add(s0, t0), TOps.Add(u0, w0)), ref d, 0);
        TOps.Store(TOps.Add(TOps.Add(s1, t1), TOps.Add(u1, w1)), ref d, c);
        TOps.Store(TOps.Add(TOps.Add(s2, t2), TOps.Add(u2, w2)), ref d, 2 * c);
        TOps.Store(TOps.Add(TOps.Add(s3, t3), TOps.Add(u3, w3)), ref d, 3 * c);
    }

    private static void StackedStrip1<T, TVector, TOps>(ref T m, int rows, StackedOperands<T> v, ref T a, bool hasAddend, ref T d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector s0 = hasAddend ? TOps.Load(in a, 0) : TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        nuint stride = (nuint)rows;
        ref T row = ref m;
        ref T x = ref v.First;
        int n = v.FirstLength;
        for (int part = 0; part < 2; part++)
        {
            int k = 0;
            for (; k <= n - 4; k += 4)
            {
                s0 = TOps.MultiplyAdd(TOps.Load(in row, 0), TOps.Broadcast(Unsafe.Add(ref x, k)), s0);
                s1 = TOps.MultiplyAdd(TOps.Load(in row, stride), TOps.Broadcast(Unsafe.Add(ref x, k + 1)), s1);
                s2 = TOps.MultiplyAdd(TOps.Load(in row, 2 * stride), TOps.Broadcast(Unsafe.Add(ref x, k + 2)), s2);
                s3 = TOps.MultiplyAdd(TOps.Load(in row, 3 * stride), TOps.Broadcast(Unsafe.Add(ref x, k + 3)), s3);
                row = ref Unsafe.Add(ref row, 4 * rows);
            }
            for (; k < n; k++)
            {
                s0 = TOps.MultiplyAdd(TOps.Load(in row, 0), TOps.Broadcast(Unsafe.Add(ref x, k)), s0);
                row = ref Unsafe.Add(ref row, rows);
            }
            x = ref v.Second;
            n = v.SecondLength;
        }
        TOps.Store(TOps.Add(TOps.Add(s0, s1), TOps.Add(s2, s3)), ref d, 0);
    }
}
