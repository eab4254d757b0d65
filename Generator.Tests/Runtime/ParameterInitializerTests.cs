using System;
using System.Numerics;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>
/// <see cref="SeededRandom"/> against values from an independent implementation of xoshiro256** seeded by
/// SplitMix64 (the reference algorithms, in Python), and <see cref="ParameterInitializer"/> for
/// determinism and the defining property of each scheme.
/// </summary>
public sealed class ParameterInitializerTests
{
    [Fact]
    public void SeededRandom_reproduces_the_reference_sequence()
    {
        var zero = new SeededRandom(0);
        Assert.Equal(0x99ec5f36cb75f2b4UL, zero.NextUInt64());
        Assert.Equal(0xbf6e1f784956452aUL, zero.NextUInt64());
        Assert.Equal(0x1a5f849d4933e6e0UL, zero.NextUInt64());
        Assert.Equal(0x6aa594f1262d2d2cUL, zero.NextUInt64());

        var doubles = new SeededRandom(42);
        Assert.Equal(0.08386297105988216, doubles.NextDouble());
        Assert.Equal(0.3789802506626686, doubles.NextDouble());
        Assert.Equal(0.6800434110281394, doubles.NextDouble());

        // The reference used the platform's log; this generator computes its own, to within an ulp or two.
        var gaussians = new SeededRandom(42);
        double[] expected =
            [-0.7262191382447857, -0.21119691823195985, 0.2216227015035933, 0.5227716877560146, 0.46417731016247366, 0.7409788916865562];
        foreach (double value in expected)
        {
            Assert.Equal(value, gaussians.NextGaussian(), Math.Abs(value) * 1e-15);
        }
    }

    [Fact]
    public void SeededRandom_draws_have_the_right_distribution()
    {
        var random = new SeededRandom(7);
        const int Count = 200_000;
        double uniformSum = 0, gaussianSum = 0, gaussianSquares = 0;
        for (int i = 0; i < Count; i++)
        {
            double uniform = random.NextDouble();
            Assert.InRange(uniform, 0, Math.BitDecrement(1.0));
            uniformSum += uniform;
            double gaussian = random.NextGaussian();
            gaussianSum += gaussian;
            gaussianSquares += gaussian * gaussian;
        }

        // Standard errors: 0.29 / √n = 6.5e-4 for the uniform mean, 1 / √n = 2.2e-3 for the Gaussian mean,
        // √2 / √n = 3.2e-3 for its variance; the bounds are about five of them.
        Assert.Equal(0.5, uniformSum / Count, 0.003);
        Assert.Equal(0, gaussianSum / Count, 0.011);
        Assert.Equal(1, gaussianSquares / Count, 0.016);
    }

    [Fact]
    public void GlorotUniform_is_deterministic_bounded_and_has_the_right_variance()
    {
        const int Rows = 512, Columns = 128;
        float[] first = Glorot<float>(Rows, Columns, seed: 1);
        Assert.Equal(first, Glorot<float>(Rows, Columns, seed: 1));
        Assert.NotEqual(first, Glorot<float>(Rows, Columns, seed: 2));

        double[] values = Glorot<double>(Rows, Columns, seed: 1);
        double bound = Math.Sqrt(6.0 / (Rows + Columns));
        double sum = 0, squares = 0;
        foreach (double value in values)
        {
            Assert.InRange(value, -bound, bound);
            sum += value;
            squares += value * value;
        }
        foreach (float value in first)
        {
            Assert.InRange(value, -(float)bound, (float)bound);
        }
        // Var(x) = a²/3; the standard error of the sample second moment is a²·√(4/45)/√n = 0.1% of it
        // for n = 65536, so 2% is a wide margin; the mean's standard error is a/√(3n) = 2.3e-3·a.
        double variance = squares / values.Length - Math.Pow(sum / values.Length, 2);
        Assert.Equal(bound * bound / 3, variance, bound * bound / 3 * 0.02);
        Assert.Equal(0, sum / values.Length, 0.012 * bound);
    }

    [Theory]
    [InlineData(128, 32)]
    [InlineData(512, 128)]
    [InlineData(384, 128)]
    [InlineData(96, 32)]
    [InlineData(32, 32)]
    [InlineData(3, 3)]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    public void Orthogonal_makes_each_square_block_orthogonal(int rows, int columns)
    {
        double[] matrix = Orthogonal<double>(rows, columns, seed: 3);
        float[] matrixF = Orthogonal<float>(rows, columns, seed: 3);

        for (int block = 0; block < rows / columns; block++)
        {
            AssertOrthonormalColumns<double>(matrix.AsSpan(block * columns * columns, columns * columns), columns, columns, 1e-6);
            AssertOrthonormalColumns<float>(matrixF.AsSpan(block * columns * columns, columns * columns), columns, columns, 1e-5);
        }
        Assert.Equal(matrix, Orthogonal<double>(rows, columns, seed: 3));
        if (columns > 1)
        {
            // (A 1 × 1 orthogonal block is ±1, so it may repeat.)
            Assert.NotEqual(matrix, Orthogonal<double>(rows, columns, seed: 4));
        }
        if (columns > 1 && rows >= 2 * columns)
        {
            Assert.NotEqual(matrix.AsSpan(0, columns * columns).ToArray(), matrix.AsSpan(columns * columns, columns * columns).ToArray());
        }
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(48, 32)]
    [InlineData(129, 7)]
    public void Orthogonal_gives_a_tall_matrix_orthonormal_columns(int rows, int columns)
    {
        AssertOrthonormalColumns<double>(Orthogonal<double>(rows, columns, seed: 5), rows, columns, 1e-6);
        AssertOrthonormalColumns<float>(Orthogonal<float>(rows, columns, seed: 5), rows, columns, 1e-5);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(32, 128)]
    [InlineData(1, 4)]
    public void Orthogonal_gives_a_wide_matrix_orthonormal_rows(int rows, int columns)
    {
        AssertOrthonormalColumns<double>(Transpose(Orthogonal<double>(rows, columns, seed: 6), rows, columns), columns, rows, 1e-6);
        AssertOrthonormalColumns<float>(Transpose(Orthogonal<float>(rows, columns, seed: 6), rows, columns), columns, rows, 1e-5);
    }

    [Theory]
    [InlineData(128, 32)]
    [InlineData(32, 32)]
    [InlineData(5, 3)]
    [InlineData(3, 5)]
    [InlineData(1, 1)]
    public void Identity_is_exact(int rows, int columns)
    {
        float[] matrix = new float[rows * columns];
        matrix.AsSpan().Fill(7);

        ParameterInitializer.Identity<float>(matrix, rows, columns);

        bool blocks = rows % columns == 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                bool one = blocks ? i % columns == j : i == j;
                Assert.Equal(one ? 1f : 0f, matrix[i * columns + j]);
            }
        }
    }

    [Fact]
    public void Spans_of_the_wrong_length_are_rejected()
    {
        var random = new SeededRandom(1);
        float[] matrix = new float[6];
        Assert.Throws<ArgumentException>(() => ParameterInitializer.Identity<float>(matrix, 2, 2));
        Assert.Throws<ArgumentException>(() =>
        {
            var r = new SeededRandom(1);
            ParameterInitializer.Orthogonal<float>(matrix, 4, 2, ref r);
        });
        ParameterInitializer.GlorotUniform<float>(matrix, 2, 3, ref random);
    }

    private static T[] Glorot<T>(int rows, int columns, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(seed);
        var matrix = new T[rows * columns];
        ParameterInitializer.GlorotUniform<T>(matrix, rows, columns, ref random);
        return matrix;
    }

    private static T[] Orthogonal<T>(int rows, int columns, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(seed);
        var matrix = new T[rows * columns];
        ParameterInitializer.Orthogonal<T>(matrix, rows, columns, ref random);
        return matrix;
    }

    private static T[] Transpose<T>(T[] matrix, int rows, int columns)
    {
        var transposed = new T[matrix.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                transposed[j * rows + i] = matrix[i * columns + j];
            }
        }
        return transposed;
    }

    /// <summary>Asserts QᵀQ = I for the row-major rows × columns matrix Q, entry by entry, in double.</summary>
    private static void AssertOrthonormalColumns<T>(ReadOnlySpan<T> matrix, int rows, int columns, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int a = 0; a < columns; a++)
        {
            for (int b = 0; b < columns; b++)
            {
                double dot = 0;
                for (int i = 0; i < rows; i++)
                {
                    dot += double.CreateChecked(matrix[i * columns + a]) * double.CreateChecked(matrix[i * columns + b]);
                }
                Assert.True(Math.Abs(dot - (a == b ? 1 : 0)) <= tolerance, $"(QᵀQ)[{a}, {b}] = {dot:R}");
            }
        }
    }
}
