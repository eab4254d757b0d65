using System;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Batching;

/// <summary>
/// The batched product kernels against the naive triple loop, in double (exact to rounding) and float, at shapes that
/// take every path: scalar streams, narrower vectors, an overlapping last vector, 8 × 2, 8 × 1 and 4 × 4 blocks and their
/// leftovers.
/// </summary>
public class BatchedProductsTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 17, 33, 1 }, { 128, 48, 1 }, { 3, 5, 2 }, { 4, 7, 3 }, { 9, 6, 8 }, { 13, 17, 37 }, { 32, 16, 64 }, { 8, 4, 65 }, { 5, 33, 19 },
        { 19, 7, 5 }, { 12, 20, 16 }, { 11, 9, 17 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Products_match_the_naive_loops(int rows, int columns, int batch)
    {
        var random = new Random(rows * 1000 + columns * 10 + batch);
        var matrix = Random(random, rows * columns);
        var values = Random(random, columns * batch);
        var adjoints = Random(random, rows * batch);

        var product = Random(random, rows * batch);
        var expected = new double[rows * batch];
        for (int i = 0; i < rows; i++)
        {
            for (int s = 0; s < batch; s++)
            {
                for (int k = 0; k < columns; k++)
                {
                    expected[i * batch + s] += matrix[i * columns + k] * values[k * batch + s];
                }
            }
        }

        BatchedProducts.Multiply<double>(matrix, rows, columns, values, batch, product);
        AssertClose(expected, product);
        var before = (double[])product.Clone();
        BatchedProducts.MultiplyAdd<double>(matrix, rows, columns, values, batch, product);
        AssertClose(Add(before, expected), product);

        var transposed = Random(random, columns * batch);
        var expectedTransposed = new double[columns * batch];
        for (int k = 0; k < columns; k++)
        {
            for (int s = 0; s < batch; s++)
            {
                for (int i = 0; i < rows; i++)
                {
                    expectedTransposed[k * batch + s] += matrix[i * columns + k] * adjoints[i * batch + s];
                }
            }
        }

        BatchedProducts.TransposedMultiply<double>(matrix, rows, columns, adjoints, batch, transposed);
        AssertClose(expectedTransposed, transposed);
        before = (double[])transposed.Clone();
        BatchedProducts.TransposedMultiplyAdd<double>(matrix, rows, columns, adjoints, batch, transposed);
        AssertClose(Add(before, expectedTransposed), transposed);
    }

    /// <summary>
    /// Matrices of 64 columns or more, whose window gradient goes by panels: column panels with a narrow last one,
    /// steps grouped with a shorter last group, more rows than one chunk, batches split into panels of streams.
    /// </summary>
    public static TheoryData<int, int, int, int> WideShapes => new()
    {
        { 1, 64, 1, 5 }, { 5, 64, 2, 5 }, { 3, 65, 3, 5 }, { 9, 130, 5, 3 }, { 13, 64, 13, 3 }, { 8, 200, 17, 5 }, { 17, 129, 37, 2 }, { 70, 67, 64, 3 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Window_gradient_matches_the_naive_sum_over_steps_and_streams(int rows, int columns, int batch) =>
        AssertWindowGradient(rows, columns, batch, count: 3);

    [Theory]
    [MemberData(nameof(WideShapes))]
    public void Window_gradient_of_a_wide_matrix_matches_the_naive_sum(int rows, int columns, int batch, int count) =>
        AssertWindowGradient(rows, columns, batch, count);

    private static void AssertWindowGradient(int rows, int columns, int batch, int count)
    {
        const int leftStride = 7, rightStride = 5; // strides beyond the blocks, as in a tape
        var random = new Random(rows + columns * 100 + batch * 10000);
        int leftLength = (count - 1) * (rows * batch + leftStride) + rows * batch, rightLength = (count - 1) * (columns * batch + rightStride) + columns * batch;
        var left = Random(random, leftLength);
        var right = Random(random, rightLength);
        var matrix = Random(random, rows * columns);
        var expected = (double[])matrix.Clone();
        for (int t = 0; t < count; t++)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    for (int s = 0; s < batch; s++)
                    {
                        expected[i * columns + j] += left[t * (rows * batch + leftStride) + i * batch + s] * right[t * (columns * batch + rightStride) + j * batch + s];
                    }
                }
            }
        }

        BatchedProducts.AddTransposedProducts<double>(matrix, rows, columns, count, left, rows * batch + leftStride, right, columns * batch + rightStride, batch);
        AssertClose(expected, matrix);
    }

    [Fact]
    public void Float_product_matches_double_to_float_rounding()
    {
        const int rows = 24, columns = 20, batch = 45;
        var random = new Random(5);
        var matrix = Random(random, rows * columns);
        var values = Random(random, columns * batch);
        var product = new double[rows * batch];
        var productFloat = new float[rows * batch];
        BatchedProducts.Multiply<double>(matrix, rows, columns, values, batch, product);
        BatchedProducts.Multiply<float>(Array.ConvertAll(matrix, v => (float)v), rows, columns, Array.ConvertAll(values, v => (float)v), batch, productFloat);
        for (int i = 0; i < product.Length; i++)
        {
            Assert.True(Math.Abs(productFloat[i] - product[i]) < 1e-5, $"element {i}: {productFloat[i]} vs {product[i]}");
        }
    }

    [Fact]
    public void Wrong_lengths_are_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchedProducts.Multiply<float>(new float[6], 2, 3, new float[5], 2, new float[4]));
        Assert.Equal("values", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => BatchedProducts.TransposedMultiply<float>(new float[6], 2, 3, new float[4], 2, new float[5]));
        Assert.Equal("product", error.ParamName);
    }

    private static double[] Add(double[] a, double[] b)
    {
        var sum = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
        }

        return sum;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-13 * (1 + Math.Abs(expected[i])), $"element {i}: {actual[i]} vs {expected[i]}");
        }
    }

    private static double[] Random(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextDouble() * 2 - 1;
        }

        return values;
    }
}
