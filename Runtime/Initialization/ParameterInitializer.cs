using System;
using System.Numerics;

namespace UnrolledRnn;

/// <summary>
/// Fills weight matrices (row-major, [rows, columns]) at setup: Glorot uniform for input and output
/// weights, orthogonal or identity blocks for recurrent weights. Deterministic for a given
/// <see cref="SeededRandom"/> state, on every platform.
/// </summary>
public static class ParameterInitializer
{
    /// <summary>
    /// Glorot (Xavier) uniform: every element drawn from U(-a, a) with a = √(6 / (rows + columns)).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="matrix">The matrix to fill: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows (fan-out).</param>
    /// <param name="columns">Columns (fan-in).</param>
    /// <param name="random">The generator, advanced by one draw per element.</param>
    public static void GlorotUniform<T>(Span<T> matrix, int rows, int columns, ref SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(matrix, rows, columns);
        double bound = Math.Sqrt(6.0 / (rows + columns));
        for (int i = 0; i < matrix.Length; i++)
        {
            matrix[i] = T.CreateTruncating((2 * random.NextDouble() - 1) * bound);
        }
    }

    /// <summary>
    /// Random orthogonal weights. When <paramref name="rows"/> is a multiple of <paramref name="columns"/>
    /// (a stack of square gate blocks, such as an LSTM's 4H × H recurrent matrix), each columns × columns
    /// block is an independent random orthogonal matrix; otherwise the whole matrix gets orthonormal
    /// columns (rows ≥ columns) or orthonormal rows (rows &lt; columns). The orthogonal factors are
    /// uniformly (Haar) distributed: the Q of a Gaussian matrix whose R has a positive diagonal.
    /// </summary>
    /// <typeparam name="T">The element type; the factors are computed in double.</typeparam>
    /// <param name="matrix">The matrix to fill: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="random">The generator, advanced by one Gaussian draw per element.</param>
    public static void Orthogonal<T>(Span<T> matrix, int rows, int columns, ref SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(matrix, rows, columns);
        if (matrix.IsEmpty)
        {
            return;
        }
        if (rows % columns == 0)
        {
            // Orthonormal columns of each square block, written as the block's columns.
            for (int block = 0; block < rows; block += columns)
            {
                double[] vectors = OrthonormalVectors(columns, columns, ref random);
                WriteAsColumns(vectors, matrix.Slice(block * columns, columns * columns), columns, columns);
            }
        }
        else if (rows > columns)
        {
            WriteAsColumns(OrthonormalVectors(columns, rows, ref random), matrix, rows, columns);
        }
        else
        {
            double[] vectors = OrthonormalVectors(rows, columns, ref random);
            for (int i = 0; i < vectors.Length; i++)
            {
                matrix[i] = T.CreateTruncating(vectors[i]);
            }
        }
    }

    /// <summary>
    /// Identity weights (the IRNN recipe): each columns × columns block is the identity when
    /// <paramref name="rows"/> is a multiple of <paramref name="columns"/>; otherwise ones on the main
    /// diagonal and zeros elsewhere.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="matrix">The matrix to fill: <paramref name="rows"/> × <paramref name="columns"/> elements.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    public static void Identity<T>(Span<T> matrix, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLength(matrix, rows, columns);
        matrix.Clear();
        if (matrix.IsEmpty)
        {
            return;
        }
        // Row i of a stack of identity blocks has its one in column i mod columns.
        int diagonalRows = rows % columns == 0 ? rows : Math.Min(rows, columns);
        for (int i = 0; i < diagonalRows; i++)
        {
            matrix[i * columns + i % columns] = T.One;
        }
    }

    private static void RequireLength<T>(Span<T> matrix, int rows, int columns)
    {
        if (rows < 0 || columns < 0 || matrix.Length != rows * columns)
        {
            throw new ArgumentException(
                $"Expected a span of length {rows} × {columns} = {rows * columns}, but its length is {matrix.Length}.",
                nameof(matrix));
        }
    }

    /// <summary>
    /// <paramref name="count"/> orthonormal vectors of <paramref name="length"/> ≥ count elements, stored one
    /// after another: Gaussian vectors orthonormalised by modified Gram-Schmidt, with a second projection pass
    /// ("twice is enough") so they are orthogonal to rounding error. Gram-Schmidt makes R's diagonal (the
    /// norms) positive, which is the sign convention that makes Q Haar-distributed.
    /// </summary>
    private static double[] OrthonormalVectors(int count, int length, ref SeededRandom random)
    {
        double[] vectors = new double[count * length];
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = random.NextGaussian();
        }
        for (int j = 0; j < count; j++)
        {
            Span<double> vector = vectors.AsSpan(j * length, length);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < j; k++)
                {
                    ReadOnlySpan<double> previous = vectors.AsSpan(k * length, length);
                    double projection = Dot(previous, vector);
                    for (int i = 0; i < length; i++)
                    {
                        vector[i] -= projection * previous[i];
                    }
                }
            }
            double norm = Math.Sqrt(Dot(vector, vector));
            for (int i = 0; i < length; i++)
            {
                vector[i] /= norm;
            }
        }
        return vectors;
    }

    /// <summary>Scalar and in a fixed order, so the result does not depend on the machine's vector width.</summary>
    private static double Dot(ReadOnlySpan<double> left, ReadOnlySpan<double> right)
    {
        double sum = 0;
        for (int i = 0; i < left.Length; i++)
        {
            sum += left[i] * right[i];
        }
        return sum;
    }

    /// <summary>Writes vector j of <paramref name="vectors"/> (each of length <paramref name="rows"/>) as column j.</summary>
    private static void WriteAsColumns<T>(double[] vectors, Span<T> matrix, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                matrix[i * columns + j] = T.CreateTruncating(vectors[j * rows + i]);
            }
        }
    }
}
