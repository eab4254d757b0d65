using System;
using System.Collections.Generic;
using System.Numerics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>
/// Every <see cref="MatrixVector"/> kernel against a naive double-precision loop over the same inputs, for
/// odd sizes (around and below every vector width) and the shapes the generated cells use. Each result
/// must be within <c>tolerance × Σ|terms|</c> of the reference, the standard form of the bound for a sum
/// computed in a different order: 1e-6 for float and 1e-14 for double, between the largest errors seen with
/// such random data (1.4e-7 and 5e-16) and the worst-case bound n·ε (3e-5 and 6e-14 for n = 512). The inputs
/// are slices starting one element into a larger array, so loads are unaligned, and the destination is
/// surrounded by guard elements that must stay untouched.
/// </summary>
public sealed partial class MatrixVectorTests
{
    private static readonly int[] OddSizes = [1, 3, 7, 17, 33, 129];

    private static readonly (int Rows, int Columns)[] TypicalShapes =
    [
        (128, 16), (128, 32), (512, 128), (512, 16), (4, 32), (4, 128), (384, 128), (32, 32), (128, 128),
        (16, 16), (8, 8), (5, 2), (2, 5), (9, 4), (4, 9), (6, 48), (64, 65), (3, 255), (12, 256),
    ];

    public static IEnumerable<object[]> Shapes()
    {
        foreach (int rows in OddSizes)
        {
            foreach (int columns in OddSizes)
            {
                yield return [rows, columns];
            }
        }
        foreach ((int rows, int columns) in TypicalShapes)
        {
            yield return [rows, columns];
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_matches_naive_loop(int rows, int columns)
    {
        CheckMultiply<float>(rows, columns, accumulate: false, tolerance: 1e-6);
        CheckMultiply<double>(rows, columns, accumulate: false, tolerance: 1e-14);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyAdd_matches_naive_loop(int rows, int columns)
    {
        CheckMultiply<float>(rows, columns, accumulate: true, tolerance: 1e-6);
        CheckMultiply<double>(rows, columns, accumulate: true, tolerance: 1e-14);
    }

    /// <summary>
    /// W1·v1 + W2·v2 + a1 + a2 in one call, for the second matrix with as many, fewer (16, the sixteen-row path's
    /// least) and more columns than the first, and with one product and one addend (the overload the GRU uses).
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplySum_matches_naive_loop(int rows, int columns)
    {
        foreach (int columns2 in new[] { columns, 16, columns + 17 })
        {
            CheckMultiplySum<float>(rows, columns, columns2, addends: 2, tolerance: 1e-6);
            CheckMultiplySum<double>(rows, columns, columns2, addends: 2, tolerance: 1e-14);
        }

        CheckMultiplySum<float>(rows, columns, 0, addends: 1, tolerance: 1e-6);
        CheckMultiplySum<double>(rows, columns, 0, addends: 1, tolerance: 1e-14);
        CheckMultiplySum<float>(rows, columns, 16, addends: 0, tolerance: 1e-6);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TransposedMultiply_matches_naive_loop(int rows, int columns)
    {
        CheckTransposedMultiply<float>(rows, columns, accumulate: false, tolerance: 1e-6);
        CheckTransposedMultiply<double>(rows, columns, accumulate: false, tolerance: 1e-14);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TransposedMultiplyAdd_matches_naive_loop(int rows, int columns)
    {
        CheckTransposedMultiply<float>(rows, columns, accumulate: true, tolerance: 1e-6);
        CheckTransposedMultiply<double>(rows, columns, accumulate: true, tolerance: 1e-14);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddOuterProduct_matches_naive_loop(int rows, int columns)
    {
        // One multiply-add per element: within a couple of ulps of the larger term.
        CheckAddOuterProduct<float>(rows, columns, tolerance: 2e-7);
        CheckAddOuterProduct<double>(rows, columns, tolerance: 4e-16);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AddOuterProducts_matches_naive_loop_over_strided_pairs(int rows, int columns)
    {
        // A sum of count products per element, accumulated in registers in a different order.
        foreach (int count in new[] { 1, 2, 5, 32 })
        {
            CheckAddOuterProducts<float>(rows, columns, count, tolerance: 2e-6);
            CheckAddOuterProducts<double>(rows, columns, count, tolerance: 4e-15);
        }
    }

    public static IEnumerable<object[]> OddVectorShapes()
    {
        foreach (int rows in new[] { 1, 7, 16, 17, 31, 32, 33, 64 })
        {
            foreach (int columns in new[] { 4, 8, 16, 40, 48 })
            {
                yield return [rows, columns];
            }
        }
    }

    /// <summary>
    /// Columns of an odd number of vectors (one vector of 4, 8 or 16 floats, or 40 and 48 with AVX-512: a masked
    /// last vector and a full one) take blocks of eight rows for the last vector, and single rows for the rest.
    /// </summary>
    [Theory]
    [MemberData(nameof(OddVectorShapes))]
    public void AddOuterProducts_matches_naive_loop_when_the_columns_are_an_odd_number_of_vectors(int rows, int columns)
    {
        foreach (int count in new[] { 1, 2, 5, 32 })
        {
            CheckAddOuterProducts<float>(rows, columns, count, tolerance: 2e-6);
            CheckAddOuterProducts<double>(rows, columns, count, tolerance: 4e-15);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(17, 32)]
    [InlineData(128, 31)]
    [InlineData(33, 0)]
    public void AddSums_matches_naive_loop_over_strided_vectors(int length, int count)
    {
        CheckAddSums<float>(length, count, tolerance: 1e-6);
        CheckAddSums<double>(length, count, tolerance: 1e-14);
    }

    [Fact]
    public void AddOuterProducts_with_zero_pairs_changes_nothing_and_short_strided_spans_are_rejected()
    {
        float[] matrix = [1, 2, 3, 4, 5, 6];
        MatrixVector.AddOuterProducts<float>(matrix, 2, 3, 0, [], 7, [], 9);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, matrix);

        var exception = Assert.Throws<ArgumentException>(() => MatrixVector.AddOuterProducts<float>(matrix, 2, 3, 2, new float[8], 7, new float[12], 9));
        Assert.Equal("left", exception.ParamName);
        Assert.Contains("at least 9", exception.Message);
        exception = Assert.Throws<ArgumentException>(() => MatrixVector.AddOuterProducts<float>(matrix, 2, 3, 2, new float[9], 7, new float[11], 9));
        Assert.Equal("right", exception.ParamName);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, matrix);
    }

    [Fact]
    public void Element_types_other_than_float_and_double_run_the_scalar_path()
    {
        Half[] matrix = [(Half)1, (Half)2, (Half)3, (Half)4, (Half)5, (Half)6];
        Half[] vector = [(Half)1, (Half)(-1)];
        Half[] destination = new Half[3];

        MatrixVector.Multiply<Half>(matrix, 3, 2, vector, destination);

        Assert.Equal(new[] { (Half)(-1), (Half)(-1), (Half)(-1) }, destination);
    }

    [Fact]
    public void Spans_of_the_wrong_length_are_rejected()
    {
        float[] matrix = new float[12], four = new float[4], three = new float[3];

        var exception = Assert.Throws<ArgumentException>(() => MatrixVector.Multiply<float>(matrix, 3, 4, four, four));
        Assert.Equal("destination", exception.ParamName);
        Assert.Contains("3", exception.Message);
        Assert.Throws<ArgumentException>(() => MatrixVector.Multiply<float>(matrix, 4, 4, four, four));
        Assert.Throws<ArgumentException>(() => MatrixVector.TransposedMultiply<float>(matrix, 3, 4, four, four));
        Assert.Throws<ArgumentException>(() => MatrixVector.TransposedMultiplyAdd<float>(matrix, 3, 4, three, three));
        Assert.Throws<ArgumentException>(() => MatrixVector.AddOuterProduct<float>(matrix, 3, 4, four, four));
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => MatrixVector.AddSums<float>(four, 2, four, 4)).ParamName);
        Assert.Equal("addend", Assert.Throws<ArgumentException>(() => MatrixVector.MultiplySum<float>(matrix, 3, 4, four, four, three)).ParamName);
        Assert.Equal("addend2", Assert.Throws<ArgumentException>(() => MatrixVector.MultiplySum<float>(matrix, 3, 4, four, matrix, 4, four, three, four, three)).ParamName);
        Assert.Equal("matrix2", Assert.Throws<ArgumentException>(() => MatrixVector.MultiplySum<float>(matrix, 3, 4, four, matrix, 3, three, three, three, three)).ParamName);
        MatrixVector.TransposedMultiplyAdd<float>(matrix, 3, 4, three, four);
    }

    [Theory]
    [InlineData(33, 17)]
    [InlineData(128, 128)]
    public void Kernels_allocate_nothing(int rows, int columns)
    {
        float[] matrix = new float[rows * columns], x = new float[columns], y = new float[rows], y2 = new float[rows], y3 = new float[rows];
        double[] matrixD = new double[rows * columns], xD = new double[columns], yD = new double[rows];
        Assert.Equal(0, SteadyStateAllocation.Measure(() =>
        {
            MatrixVector.Multiply<float>(matrix, rows, columns, x, y);
            MatrixVector.MultiplyAdd<float>(matrix, rows, columns, x, y);
            MatrixVector.TransposedMultiply<float>(matrix, rows, columns, y, x);
            MatrixVector.TransposedMultiplyAdd<float>(matrix, rows, columns, y, x);
            MatrixVector.AddOuterProduct<float>(matrix, rows, columns, y, x);
            MatrixVector.MultiplySum<float>(matrix, rows, columns, x, matrix, columns, x, y2, y3, y);
            MatrixVector.Multiply<double>(matrixD, rows, columns, xD, yD);
            MatrixVector.MultiplyAdd<double>(matrixD, rows, columns, xD, yD);
            MatrixVector.TransposedMultiply<double>(matrixD, rows, columns, yD, xD);
            MatrixVector.TransposedMultiplyAdd<double>(matrixD, rows, columns, yD, xD);
            MatrixVector.AddOuterProduct<double>(matrixD, rows, columns, yD, xD);
        }));
    }

    private static void CheckMultiply<T>(int rows, int columns, bool accumulate, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)(rows * 1000 + columns));
        T[] matrix = RandomArray<T>(rows * columns, ref random);
        T[] vector = RandomArray<T>(columns, ref random);
        var destination = new GuardedSpan<T>(rows, ref random);
        T[] initial = destination.Values.ToArray();

        if (accumulate)
        {
            MatrixVector.MultiplyAdd<T>(Unaligned(matrix), rows, columns, Unaligned(vector), destination.Values);
        }
        else
        {
            MatrixVector.Multiply<T>(Unaligned(matrix), rows, columns, Unaligned(vector), destination.Values);
        }

        for (int i = 0; i < rows; i++)
        {
            double expected = accumulate ? double.CreateChecked(initial[i]) : 0;
            double magnitude = Math.Abs(expected);
            for (int j = 0; j < columns; j++)
            {
                double term = double.CreateChecked(matrix[i * columns + j]) * double.CreateChecked(vector[j]);
                expected += term;
                magnitude += Math.Abs(term);
            }
            AssertClose(expected, destination.Values[i], tolerance * magnitude, $"{typeof(T).Name} {rows}x{columns} row {i}");
        }
        destination.AssertGuardsIntact();
    }

    private static void CheckMultiplySum<T>(int rows, int columns, int columns2, int addends, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)(rows * 1000 + columns * 10 + columns2 + 3));
        T[] matrix = RandomArray<T>(rows * columns, ref random), vector = RandomArray<T>(columns, ref random);
        T[] matrix2 = RandomArray<T>(rows * columns2, ref random), vector2 = RandomArray<T>(columns2, ref random);
        T[] addend1 = RandomArray<T>(addends >= 1 ? rows : 0, ref random), addend2 = RandomArray<T>(addends >= 2 ? rows : 0, ref random);
        var destination = new GuardedSpan<T>(rows, ref random);

        if (columns2 == 0 && addends == 1)
        {
            MatrixVector.MultiplySum<T>(Unaligned(matrix), rows, columns, Unaligned(vector), Unaligned(addend1), destination.Values);
        }
        else
        {
            MatrixVector.MultiplySum<T>(Unaligned(matrix), rows, columns, Unaligned(vector), Unaligned(matrix2), columns2, Unaligned(vector2),
                Unaligned(addend1), Unaligned(addend2), destination.Values);
        }

        for (int i = 0; i < rows; i++)
        {
            double expected = 0, magnitude = 0;
            void Add(double term)
            {
                expected += term;
                magnitude += Math.Abs(term);
            }

            for (int j = 0; j < columns; j++)
            {
                Add(double.CreateChecked(matrix[i * columns + j]) * double.CreateChecked(vector[j]));
            }

            for (int j = 0; j < columns2; j++)
            {
                Add(double.CreateChecked(matrix2[i * columns2 + j]) * double.CreateChecked(vector2[j]));
            }

            Add(addends >= 1 ? double.CreateChecked(addend1[i]) : 0);
            Add(addends >= 2 ? double.CreateChecked(addend2[i]) : 0);
            AssertClose(expected, destination.Values[i], tolerance * magnitude, $"{typeof(T).Name} {rows}x({columns} + {columns2}) + {addends} addends, row {i}");
        }
        destination.AssertGuardsIntact();
    }

    private static void CheckAddSums<T>(int length, int count, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)(length * 100 + count));
        int stride = length + 5;
        T[] vectors = RandomArray<T>(Math.Max(0, (count - 1) * stride + length), ref random);
        var destination = new GuardedSpan<T>(length, ref random);
        T[] initial = destination.Values.ToArray();

        MatrixVector.AddSums<T>(destination.Values, count, Unaligned(vectors), stride);

        for (int i = 0; i < length; i++)
        {
            double expected = double.CreateChecked(initial[i]), magnitude = Math.Abs(expected);
            for (int t = 0; t < count; t++)
            {
                double term = double.CreateChecked(vectors[t * stride + i]);
                expected += term;
                magnitude += Math.Abs(term);
            }
            AssertClose(expected, destination.Values[i], tolerance * magnitude, $"{typeof(T).Name} {length} x {count} element {i}");
        }
        destination.AssertGuardsIntact();
    }

    private static void CheckTransposedMultiply<T>(int rows, int columns, bool accumulate, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)(rows * 1000 + columns + 7));
        T[] matrix = RandomArray<T>(rows * columns, ref random);
        T[] vector = RandomArray<T>(rows, ref random);
        var destination = new GuardedSpan<T>(columns, ref random);
        T[] initial = destination.Values.ToArray();

        if (accumulate)
        {
            MatrixVector.TransposedMultiplyAdd<T>(Unaligned(matrix), rows, columns, Unaligned(vector), destination.Values);
        }
        else
        {
            MatrixVector.TransposedMultiply<T>(Unaligned(matrix), rows, columns, Unaligned(vector), destination.Values);
        }

        for (int j = 0; j < columns; j++)
        {
            double expected = accumulate ? double.CreateChecked(initial[j]) : 0;
            double magnitude = Math.Abs(expected);
            for (int i = 0; i < rows; i++)
            {
                double term = double.CreateChecked(matrix[i * columns + j]) * double.CreateChecked(vector[i]);
                expected += term;
                magnitude += Math.Abs(term);
            }
            AssertClose(expected, destination.Values[j], tolerance * magnitude, $"{typeof(T).Name} {rows}x{columns} column {j}");
        }
        destination.AssertGuardsIntact();
    }

    private static void CheckAddOuterProduct<T>(int rows, int columns, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)(rows * 1000 + columns + 13));
        var matrix = new GuardedSpan<T>(rows * columns, ref random);
        T[] initial = matrix.Values.ToArray();
        T[] left = RandomArray<T>(rows, ref random);
        T[] right = RandomArray<T>(columns, ref random);

        MatrixVector.AddOuterProduct<T>(matrix.Values, rows, columns, Unaligned(left), Unaligned(right));

        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double before = double.CreateChecked(initial[i * columns + j]);
                double term = double.CreateChecked(left[i]) * double.CreateChecked(right[j]);
                AssertClose(before + term, matrix.Values[i * columns + j], tolerance * (Math.Abs(before) + Math.Abs(term)),
                    $"{typeof(T).Name} {rows}x{columns} element ({i}, {j})");
            }
        }
        matrix.AssertGuardsIntact();
    }

    private static void CheckAddOuterProducts<T>(int rows, int columns, int count, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)(rows * 1000 + columns * 10 + count));
        var matrix = new GuardedSpan<T>(rows * columns, ref random);
        T[] initial = matrix.Values.ToArray();
        int leftStride = rows + 5, rightStride = columns + 3;
        T[] left = RandomArray<T>((count - 1) * leftStride + rows, ref random);
        T[] right = RandomArray<T>((count - 1) * rightStride + columns, ref random);

        MatrixVector.AddOuterProducts<T>(matrix.Values, rows, columns, count, Unaligned(left), leftStride, Unaligned(right), rightStride);

        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double expected = double.CreateChecked(initial[i * columns + j]), magnitude = Math.Abs(expected);
                for (int t = 0; t < count; t++)
                {
                    double term = double.CreateChecked(left[t * leftStride + i]) * double.CreateChecked(right[t * rightStride + j]);
                    expected += term;
                    magnitude += Math.Abs(term);
                }
                AssertClose(expected, matrix.Values[i * columns + j], tolerance * magnitude,
                    $"{typeof(T).Name} {rows}x{columns}, {count} pairs, element ({i}, {j})");
            }
        }
        matrix.AssertGuardsIntact();
    }

    private static void AssertClose<T>(double expected, T actual, double allowedError, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double error = Math.Abs(double.CreateChecked(actual) - expected);
        Assert.True(error <= allowedError, $"{where}: expected {expected:R}, got {actual}, error {error:E3} > {allowedError:E3}");
    }

    /// <summary>The array's contents without its first element, so vector loads are not aligned.</summary>
    private static ReadOnlySpan<T> Unaligned<T>(T[] values)
    {
        var shifted = new T[values.Length + 1];
        values.CopyTo(shifted, 1);
        return shifted.AsSpan(1);
    }

    private static T[] RandomArray<T>(int length, ref SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(2 * random.NextDouble() - 1);
        }
        return values;
    }

    /// <summary>A span of random values with guard elements on both sides that no kernel may write.</summary>
    private sealed class GuardedSpan<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int GuardLength = 17;
        private readonly T[] _storage;
        private readonly int _length;

        public GuardedSpan(int length, ref SeededRandom random)
        {
            _length = length;
            _storage = new T[length + 2 * GuardLength];
            _storage.AsSpan().Fill(T.CreateTruncating(12345));
            for (int i = 0; i < length; i++)
            {
                _storage[GuardLength + i] = T.CreateTruncating(2 * random.NextDouble() - 1);
            }
        }

        public Span<T> Values => _storage.AsSpan(GuardLength, _length);

        public void AssertGuardsIntact()
        {
            for (int i = 0; i < GuardLength; i++)
            {
                Assert.Equal(T.CreateTruncating(12345), _storage[i]);
                Assert.Equal(T.CreateTruncating(12345), _storage[GuardLength + _length + i]);
            }
        }
    }
}
