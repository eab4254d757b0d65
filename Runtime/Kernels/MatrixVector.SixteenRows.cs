using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UnrolledRnn.Kernels;

public static partial class MatrixVector
{
    /// <summary>
    /// The rows of <see cref="Multiply{T}(System.ReadOnlySpan{T}, int, int, System.ReadOnlySpan{T}, System.Span{T})"/>
    /// and MultiplySum for float with AVX-512, sixteen at a time: a register of partial sums per row,
    /// then one transposing reduction tree (15 shuffle pairs and adds) leaves the sixteen dot products in one register,
    /// stored at once. Reducing four rows at a time instead cost more than the products themselves for rows of 16 to
    /// 128 floats. A second matrix (<paramref name="second"/>.Columns > 0) feeds the same registers, so W1·v1 + W2·v2
    /// costs one reduction; the addends are added to the reduced register before its one store.
    /// </summary>
    /// <returns>The number of rows done, a multiple of 16; the caller does the rest.</returns>
    private static int MultiplySixteenRows(ref float w, int rows, int columns, ref float v, SecondProduct second,
        ref float addend1, bool hasAddend1, ref float addend2, bool hasAddend2, ref float d, bool accumulate)
    {
        const int Width = 16;
        Vector512<float> tailOfVector = TailOfVector(ref v, columns), tailOfVector2 = TailOfVector(ref second.Vector, second.Columns);
        int products = second.Columns > 0 ? 2 : 1;
        int i = 0;
        for (; i + Width <= rows; i += Width)
        {
            // Accumulator k holds row Row(k): the reduction tree leaves row Row(k') in lane k' with Row(Row(k)) = k,
            // so with this assignment lane k ends up holding row k.
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            for (int p = 0; p < products; p++)
            {
                int n = p == 0 ? columns : second.Columns;
                ref float block = ref Unsafe.Add(ref p == 0 ? ref w : ref second.Matrix, (nint)i * n);
                ref float x0 = ref p == 0 ? ref v : ref second.Vector;
                int fullColumns = n - n % Width, tailOffset = n - Width;
                bool hasTail = n % Width != 0;
                for (int j = 0; j <= fullColumns; j += Width)
                {
                    bool tail = j == fullColumns;
                    if (tail && !hasTail)
                    {
                        break;
                    }

                    int at = tail ? tailOffset : j;
                    Vector512<float> x = tail ? (p == 0 ? tailOfVector : tailOfVector2) : Vector512.LoadUnsafe(ref x0, (nuint)j);
                    s0 = Fma(ref block, 0, n, at, x, s0);
                    s1 = Fma(ref block, 2, n, at, x, s1);
                    s2 = Fma(ref block, 1, n, at, x, s2);
                    s3 = Fma(ref block, 3, n, at, x, s3);
                    s4 = Fma(ref block, 8, n, at, x, s4);
                    s5 = Fma(ref block, 10, n, at, x, s5);
                    s6 = Fma(ref block, 9, n, at, x, s6);
                    s7 = Fma(ref block, 11, n, at, x, s7);
                    s8 = Fma(ref block, 4, n, at, x, s8);
                    s9 = Fma(ref block, 6, n, at, x, s9);
                    s10 = Fma(ref block, 5, n, at, x, s10);
                    s11 = Fma(ref block, 7, n, at, x, s11);
                    s12 = Fma(ref block, 12, n, at, x, s12);
                    s13 = Fma(ref block, 14, n, at, x, s13);
                    s14 = Fma(ref block, 13, n, at, x, s14);
                    s15 = Fma(ref block, 15, n, at, x, s15);
                }
            }

            // Each level adds pairs of registers after moving matching halves (256-bit, then 128-bit, then 64-bit,
            // then 32-bit parts) side by side, halving the registers and the lanes each row's sum is spread over.
            Vector512<float> a0 = Halves(s0, s8), a1 = Halves(s1, s9), a2 = Halves(s2, s10), a3 = Halves(s3, s11);
            Vector512<float> a4 = Halves(s4, s12), a5 = Halves(s5, s13), a6 = Halves(s6, s14), a7 = Halves(s7, s15);
            Vector512<float> b0 = Quarters(a0, a4), b1 = Quarters(a1, a5), b2 = Quarters(a2, a6), b3 = Quarters(a3, a7);
            Vector512<float> c0 = Pairs(b0, b2), c1 = Pairs(b1, b3);
            Vector512<float> sums = Avx512F.Shuffle(c0, c1, 0x88) + Avx512F.Shuffle(c0, c1, 0xDD);
            ref float destination = ref Unsafe.Add(ref d, i);
            if (accumulate)
            {
                sums += Vector512.LoadUnsafe(ref destination);
            }

            if (hasAddend1)
            {
                sums += Vector512.LoadUnsafe(ref addend1, (nuint)i);
            }

            if (hasAddend2)
            {
                sums += Vector512.LoadUnsafe(ref addend2, (nuint)i);
            }

            sums.StoreUnsafe(ref destination);
        }

        return i;
    }

    /// <summary>
    /// The last, overlapping vector of a row of <paramref name="columns"/> (at columns - 16) with the lanes the full
    /// vectors already counted zeroed; zero when the row has no tail (or no columns).
    /// </summary>
    private static Vector512<float> TailOfVector(ref float v, int columns) =>
        columns % 16 != 0 && columns > 16
            ? Vector512.LoadUnsafe(ref v, (nuint)(columns - 16)) & Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(16 - columns % 16)).AsSingle()
            : Vector512<float>.Zero;

    /// <summary>The optional second product W2·v2 of <see cref="MultiplySixteenRows"/>: no columns when there is none.</summary>
    private readonly ref struct SecondProduct
    {
        public readonly ref float Matrix;
        public readonly int Columns;
        public readonly ref float Vector;

        public SecondProduct(ref float matrix, int columns, ref float vector)
        {
            Matrix = ref matrix;
            Columns = columns;
            Vector = ref vector;
        }
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
