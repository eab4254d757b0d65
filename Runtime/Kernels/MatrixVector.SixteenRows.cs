using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UnrolledRnn.Kernels;

public static partial class MatrixVector
{
    /// <summary>
    /// The rows of <see cref="Multiply{T}(System.ReadOnlySpan{T}, int, int, System.ReadOnlySpan{T}, System.Span{T})"/>
    /// for float with AVX-512, sixteen at a time: a register of partial sums per row, then one transposing reduction
    /// tree (15 shuffle pairs and adds) leaves the sixteen dot products in one register, stored at once. Reducing
    /// four rows at a time instead cost more than the products themselves for rows of 16 to 128 floats.
    /// </summary>
    /// <returns>The number of rows done, a multiple of 16; the caller does the rest.</returns>
    private static int MultiplySixteenRows(ref float w, int rows, int columns, ref float v, ref float d, bool accumulate)
    {
        const int Width = 16;
        int fullColumns = columns - columns % Width, tailOffset = columns - Width;
        bool hasTail = columns % Width != 0;
        // The last, overlapping vector of a row counts only the lanes past the full vectors.
        Vector512<float> tailOfVector = hasTail
            ? Vector512.LoadUnsafe(ref v, (nuint)tailOffset) & Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(Width - columns % Width)).AsSingle()
            : Vector512<float>.Zero;
        int i = 0;
        for (; i + Width <= rows; i += Width)
        {
            // Accumulator k holds row Row(k): the reduction tree leaves row Row(k') in lane k' with Row(Row(k)) = k,
            // so with this assignment lane k ends up holding row k.
            ref float block = ref Unsafe.Add(ref w, (nint)i * columns);
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            for (int j = 0; j <= fullColumns; j += Width)
            {
                bool tail = j == fullColumns;
                if (tail && !hasTail)
                {
                    break;
                }

                int at = tail ? tailOffset : j;
                Vector512<float> x = tail ? tailOfVector : Vector512.LoadUnsafe(ref v, (nuint)j);
                s0 = Fma(ref block, 0, columns, at, x, s0);
                s1 = Fma(ref block, 2, columns, at, x, s1);
                s2 = Fma(ref block, 1, columns, at, x, s2);
                s3 = Fma(ref block, 3, columns, at, x, s3);
                s4 = Fma(ref block, 8, columns, at, x, s4);
                s5 = Fma(ref block, 10, columns, at, x, s5);
                s6 = Fma(ref block, 9, columns, at, x, s6);
                s7 = Fma(ref block, 11, columns, at, x, s7);
                s8 = Fma(ref block, 4, columns, at, x, s8);
                s9 = Fma(ref block, 6, columns, at, x, s9);
                s10 = Fma(ref block, 5, columns, at, x, s10);
                s11 = Fma(ref block, 7, columns, at, x, s11);
                s12 = Fma(ref block, 12, columns, at, x, s12);
                s13 = Fma(ref block, 14, columns, at, x, s13);
                s14 = Fma(ref block, 13, columns, at, x, s14);
                s15 = Fma(ref block, 15, columns, at, x, s15);
            }

            // Each level adds pairs of registers after moving matching halves (256-bit, then 128-bit, then 64-bit,
            // then 32-bit parts) side by side, halving the registers and the lanes each row's sum is spread over.
            Vector512<float> a0 = Halves(s0, s8), a1 = Halves(s1, s9), a2 = Halves(s2, s10), a3 = Halves(s3, s11);
            Vector512<float> a4 = Halves(s4, s12), a5 = Halves(s5, s13), a6 = Halves(s6, s14), a7 = Halves(s7, s15);
            Vector512<float> b0 = Quarters(a0, a4), b1 = Quarters(a1, a5), b2 = Quarters(a2, a6), b3 = Quarters(a3, a7);
            Vector512<float> c0 = Pairs(b0, b2), c1 = Pairs(b1, b3);
            Vector512<float> sums = Avx512F.Shuffle(c0, c1, 0x88) + Avx512F.Shuffle(c0, c1, 0xDD);
            ref float destination = ref Unsafe.Add(ref d, i);
            (accumulate ? Vector512.LoadUnsafe(ref destination) + sums : sums).StoreUnsafe(ref destination);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(ref float block, int row, int columns, int column, Vector512<float> x, Vector512<float> sum) =>
        Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref block, (nuint)(row * columns + column)), x, sum);

    // [lower 256 bits of a + upper 256 bits of a | the same of b]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halves(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);

    // Within each half: [128-bit parts 0 + 1 | parts 2 + 3] of a, then of b.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Quarters(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0x88) + Avx512F.Shuffle4x128(a, b, 0xDD);

    // Within each 128-bit part: [lanes 0 + 2, 1 + 3] of a, then of b.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle(a, b, 0x44) + Avx512F.Shuffle(a, b, 0xEE);
}
