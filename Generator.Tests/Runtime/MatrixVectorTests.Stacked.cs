using System;
using System.Numerics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// MultiplyStacked over [W1 W2]^T written by TransposeInto, against the naive row-major sum W1 v1 + W2 v2 + a, with the
// bound of the other kernels: a sum in another order, within tolerance x sum|terms|.
public sealed partial class MatrixVectorTests
{
    /// <summary>
    /// Rows 1 to 3 run scalar, 4 to 7 Vector128, 8 to 15 Vector256 and from 16 Vector512 (float; half those for double):
    /// single vectors, the overlapping last vector, strips of four and of eight vectors.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyStacked_matches_the_row_major_sum(int rows, int columns)
    {
        foreach (int columns2 in new[] { 0, 1, columns, 32 })
        {
            CheckMultiplyStacked<float>(rows, columns, columns2, withAddend: true, tolerance: 1e-6);
            CheckMultiplyStacked<double>(rows, columns, columns2, withAddend: true, tolerance: 1e-14);
        }

        CheckMultiplyStacked<float>(rows, columns, 16, withAddend: false, tolerance: 1e-6);
    }

    [Fact]
    public void MultiplyStacked_rejects_spans_of_the_wrong_length()
    {
        float[] stacked = new float[12], four = new float[4], three = new float[3], one = new float[1];
        Assert.Equal("stacked", Assert.Throws<ArgumentException>(() => MatrixVector.MultiplyStacked<float>(stacked, 3, four, one, three, three)).ParamName);
        Assert.Equal("addend", Assert.Throws<ArgumentException>(() => MatrixVector.MultiplyStacked<float>(stacked, 3, three, one, four, three)).ParamName);
        var exception = Assert.Throws<ArgumentException>(() => MatrixVector.MultiplyStacked<float>(stacked, 3, three, one, three, four));
        Assert.Equal("destination", exception.ParamName);
        Assert.Contains("3", exception.Message);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => MatrixVector.TransposeInto<float>(stacked, 3, 4, three)).ParamName);
    }

    private static void CheckMultiplyStacked<T>(int rows, int columns, int columns2, bool withAddend, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)(rows * 1000 + columns * 10 + columns2 + 7));
        T[] matrix = RandomArray<T>(rows * columns, ref random), vector = RandomArray<T>(columns, ref random);
        T[] matrix2 = RandomArray<T>(rows * columns2, ref random), vector2 = RandomArray<T>(columns2, ref random);
        T[] addend = RandomArray<T>(withAddend ? rows : 0, ref random);
        var stacked = new T[(columns + columns2) * rows];
        MatrixVector.TransposeInto<T>(matrix, rows, columns, stacked.AsSpan(0, columns * rows));
        MatrixVector.TransposeInto<T>(matrix2, rows, columns2, stacked.AsSpan(columns * rows));
        var destination = new GuardedSpan<T>(rows, ref random);

        MatrixVector.MultiplyStacked<T>(Unaligned(stacked), rows, Unaligned(vector), Unaligned(vector2), Unaligned(addend), destination.Values);

        for (int i = 0; i < rows; i++)
        {
            double expected = withAddend ? double.CreateChecked(addend[i]) : 0, magnitude = Math.Abs(expected);
            for (int j = 0; j < columns; j++)
            {
                double term = double.CreateChecked(matrix[i * columns + j]) * double.CreateChecked(vector[j]);
                expected += term;
                magnitude += Math.Abs(term);
            }

            for (int j = 0; j < columns2; j++)
            {
                double term = double.CreateChecked(matrix2[i * columns2 + j]) * double.CreateChecked(vector2[j]);
                expected += term;
                magnitude += Math.Abs(term);
            }

            AssertClose(expected, destination.Values[i], tolerance * magnitude, $"{typeof(T).Name} {rows}x({columns} + {columns2}), row {i}");
        }
        destination.AssertGuardsIntact();
    }
}
