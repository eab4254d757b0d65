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
        int i = 0;
        for (; i + Width <= rows; i += Width)
        {
            // Accumulator k holds row Row(k): the reduction tree leaves row Row(k') in lane k' with Row(Row(k)) = k,
            // so with this assignment lane k ends up holding row k.
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;

            // The first product, then the second (if any), into the same accumulators.
            ref float block = ref Unsafe.Add(ref w, (nint)i * columns);
            ref float x0 = ref v;
            int n = columns;
            Vector512<float> tail = tailOfVector;
            bool onSecond = false;
            while (true)
            {
                // Row r of the block starts (r / 4) * 4 rows plus (r % 4) strides past the first: each load is a row
                // pointer of four plus 0, 1, 2 or 3 strides, one addressing mode, no index arithmetic per product.
                nint stride = (nint)n * sizeof(float), stride3 = 3 * stride, stride4 = 4 * stride;
                int vectors = (n + Width - 1) / Width;
                for (int k = 0; k < vectors; k++)
                {
                    bool isTail = k == vectors - 1 && n % Width != 0;
                    int at = isTail ? n - Width : k * Width;
                    Vector512<float> x = isTail ? tail : Vector512.LoadUnsafe(ref x0, (nuint)at);
                    ref byte r0 = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref block, at));
                    ref byte r4 = ref Unsafe.AddByteOffset(ref r0, stride4);
                    ref byte r8 = ref Unsafe.AddByteOffset(ref r4, stride4);
                    ref byte r12 = ref Unsafe.AddByteOffset(ref r8, stride4);
                    s0 = Fma(ref r0, 0, x, s0);
                    s2 = Fma(ref r0, stride, x, s2);
                    s1 = Fma(ref r0, 2 * stride, x, s1);
                    s3 = Fma(ref r0, stride3, x, s3);
                    s8 = Fma(ref r4, 0, x, s8);
                    s10 = Fma(ref r4, stride, x, s10);
                    s9 = Fma(ref r4, 2 * stride, x, s9);
                    s11 = Fma(ref r4, stride3, x, s11);
                    s4 = Fma(ref r8, 0, x, s4);
                    s6 = Fma(ref r8, stride, x, s6);
                    s5 = Fma(ref r8, 2 * stride, x, s5);
                    s7 = Fma(ref r8, stride3, x, s7);
                    s12 = Fma(ref r12, 0, x, s12);
                    s14 = Fma(ref r12, stride, x, s14);
                    s13 = Fma(ref r12, 2 * stride, x, s13);
                    s15 = Fma(ref r12, stride3, x, s15);
                }

                if (onSecond || second.Columns == 0)
                {
                    break;
                }

                block = ref Unsafe.Add(ref second.Matrix, (nint)i * second.Columns);
                x0 = ref second.Vector;
                n = second.Columns;
                tail = tailOfVector2;
                onSecond = true;
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

    // sum + (the 16 floats at byteOffset past row) × x
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(ref byte row, nint byteOffset, Vector512<float> x, Vector512<float> sum) =>
        Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.As<byte, float>(ref Unsafe.AddByteOffset(ref row, byteOffset))), x, sum);

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
