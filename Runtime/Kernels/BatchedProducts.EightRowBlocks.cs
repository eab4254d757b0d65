using System.Numerics;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

public static partial class BatchedProducts
{
    // 8 rows × 2 vectors: 16 accumulators for a row of two vectors (32 float streams with AVX-512); each step of k
    // loads 2 vectors and broadcasts 8 weights for 16 FMAs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x2<T, TVector, TOps>(ref T a, int inner, int aRow, int aColumn, ref T s, int batch, ref T c,
        int cRow, int row, int s0, int s1, TVector lastMask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector p00 = TOps.Zero, p01 = TOps.Zero, p10 = TOps.Zero, p11 = TOps.Zero;
        TVector p20 = TOps.Zero, p21 = TOps.Zero, p30 = TOps.Zero, p31 = TOps.Zero;
        TVector p40 = TOps.Zero, p41 = TOps.Zero, p50 = TOps.Zero, p51 = TOps.Zero;
        TVector p60 = TOps.Zero, p61 = TOps.Zero, p70 = TOps.Zero, p71 = TOps.Zero;
        ref T w = ref Unsafe.Add(ref a, (nint)row * aRow);
        ref T x = ref s;
        for (int k = 0; k < inner; k++)
        {
            TVector x0 = TOps.Load(in x, (nuint)s0), x1 = TOps.Load(in x, (nuint)s1);
            TVector w0 = TOps.Broadcast(w), w1 = TOps.Broadcast(Unsafe.Add(ref w, aRow));
            p00 = TOps.MultiplyAdd(w0, x0, p00);
            p01 = TOps.MultiplyAdd(w0, x1, p01);
            p10 = TOps.MultiplyAdd(w1, x0, p10);
            p11 = TOps.MultiplyAdd(w1, x1, p11);
            TVector w2 = TOps.Broadcast(Unsafe.Add(ref w, 2 * aRow)), w3 = TOps.Broadcast(Unsafe.Add(ref w, 3 * aRow));
            p20 = TOps.MultiplyAdd(w2, x0, p20);
            p21 = TOps.MultiplyAdd(w2, x1, p21);
            p30 = TOps.MultiplyAdd(w3, x0, p30);
            p31 = TOps.MultiplyAdd(w3, x1, p31);
            TVector w4 = TOps.Broadcast(Unsafe.Add(ref w, 4 * aRow)), w5 = TOps.Broadcast(Unsafe.Add(ref w, 5 * aRow));
            p40 = TOps.MultiplyAdd(w4, x0, p40);
            p41 = TOps.MultiplyAdd(w4, x1, p41);
            p50 = TOps.MultiplyAdd(w5, x0, p50);
            p51 = TOps.MultiplyAdd(w5, x1, p51);
            TVector w6 = TOps.Broadcast(Unsafe.Add(ref w, 6 * aRow)), w7 = TOps.Broadcast(Unsafe.Add(ref w, 7 * aRow));
            p60 = TOps.MultiplyAdd(w6, x0, p60);
            p61 = TOps.MultiplyAdd(w6, x1, p61);
            p70 = TOps.MultiplyAdd(w7, x0, p70);
            p71 = TOps.MultiplyAdd(w7, x1, p71);
            w = ref Unsafe.Add(ref w, aColumn);
            x = ref Unsafe.Add(ref x, batch);
        }

        TVector all = TOps.LanesFrom(0);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)row * cRow), s0, s1, p00, p01, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 1) * cRow), s0, s1, p10, p11, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 2) * cRow), s0, s1, p20, p21, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 3) * cRow), s0, s1, p30, p31, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 4) * cRow), s0, s1, p40, p41, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 5) * cRow), s0, s1, p50, p51, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 6) * cRow), s0, s1, p60, p61, all, lastMask, accumulate);
        StorePair<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 7) * cRow), s0, s1, p70, p71, all, lastMask, accumulate);
    }

    // 8 rows × 1 vector: 8 accumulators for a row of exactly one vector (16 float columns of a weight gradient).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x1<T, TVector, TOps>(ref T a, int inner, int aRow, int aColumn, ref T s, int batch, ref T c,
        int cRow, int row, int stream, TVector mask, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        TVector p0 = TOps.Zero, p1 = TOps.Zero, p2 = TOps.Zero, p3 = TOps.Zero;
        TVector p4 = TOps.Zero, p5 = TOps.Zero, p6 = TOps.Zero, p7 = TOps.Zero;
        ref T w = ref Unsafe.Add(ref a, (nint)row * aRow);
        ref T x = ref s;
        for (int k = 0; k < inner; k++)
        {
            TVector x0 = TOps.Load(in x, (nuint)stream);
            p0 = TOps.MultiplyAdd(TOps.Broadcast(w), x0, p0);
            p1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, aRow)), x0, p1);
            p2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 2 * aRow)), x0, p2);
            p3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 3 * aRow)), x0, p3);
            p4 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 4 * aRow)), x0, p4);
            p5 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 5 * aRow)), x0, p5);
            p6 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 6 * aRow)), x0, p6);
            p7 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 7 * aRow)), x0, p7);
            w = ref Unsafe.Add(ref w, aColumn);
            x = ref Unsafe.Add(ref x, batch);
        }

        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)row * cRow), stream, p0, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 1) * cRow), stream, p1, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 2) * cRow), stream, p2, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 3) * cRow), stream, p3, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 4) * cRow), stream, p4, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 5) * cRow), stream, p5, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 6) * cRow), stream, p6, mask, accumulate);
        Store<T, TVector, TOps>(ref Unsafe.Add(ref c, (nint)(row + 7) * cRow), stream, p7, mask, accumulate);
    }
}
