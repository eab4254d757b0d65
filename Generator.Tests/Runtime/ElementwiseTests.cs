using System;
using System.Numerics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>
/// Every <see cref="Elementwise"/> operation against the same arithmetic in double, over lengths below, at and
/// around every vector width (the scalar loop, full vectors and the overlapping last vector), into a separate
/// destination and in place. Sums and products of two operands are single IEEE operations, so they must be
/// exact; the multiply-add is within two roundings of the exact value, relative to the size of its terms (1.2e-7
/// float, 2.3e-16 double; one rounding where the hardware fuses it); the sum of squares only changes the order of
/// summation.
/// </summary>
public sealed class ElementwiseTests
{
    private static readonly int[] Lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 48, 64, 65, 129];

    [Fact]
    public void Sums_and_products_are_exact_out_of_place_and_in_place()
    {
        foreach (int length in Lengths)
        {
            CheckExact<float>(length);
            CheckExact<double>(length);
        }
    }

    [Fact]
    public void MultiplyAdd_matches_the_exact_value_out_of_place_and_in_place()
    {
        foreach (int length in Lengths)
        {
            CheckMultiplyAdd<float>(length, 1.2e-7);
            CheckMultiplyAdd<double>(length, 2.3e-16);
        }
    }

    [Fact]
    public void SumOfSquares_matches_the_sum_in_double()
    {
        foreach (int length in Lengths)
        {
            var random = new SeededRandom((ulong)length);
            float[] x = Random<float>(length, ref random);
            double expected = 0;
            foreach (float v in x)
            {
                expected += (double)v * v;
            }

            Assert.Equal(expected, Elementwise.SumOfSquares<float>(x), expected * 1e-6 * Math.Sqrt(length));
            double[] xd = Array.ConvertAll(x, v => (double)v);
            Assert.Equal(expected, Elementwise.SumOfSquares<double>(xd), expected * 1e-15);
        }
    }

    [Fact]
    public void Spans_of_different_lengths_are_rejected_and_the_destination_is_untouched()
    {
        float[] four = [1, 2, 3, 4], three = [1, 2, 3], destination = [9, 9, 9];

        var exception = Assert.Throws<ArgumentException>(() => Elementwise.Add<float>(four, three, destination));
        Assert.Equal("x", exception.ParamName);
        Assert.Contains("length 3", exception.Message);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => Elementwise.MultiplyAdd<float>(three, three, four, destination)).ParamName);
        Assert.Equal(new float[] { 9, 9, 9 }, destination);
    }

    private static void CheckExact<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)length + 100);
        T[] x = Random<T>(length, ref random), y = Random<T>(length, ref random);
        T scalar = T.CreateChecked(0.75);
        var operations = new (string Name, Action<T[], T[]> Run, Func<T, T, T> Expected)[]
        {
            ("Add", (a, d) => Elementwise.Add<T>(a, y, d), (a, b) => a + b),
            ("Add scalar", (a, d) => Elementwise.Add<T>(a, scalar, d), (a, _) => a + scalar),
            ("Subtract from scalar", (a, d) => Elementwise.Subtract<T>(scalar, a, d), (a, _) => scalar - a),
            ("Negate", (a, d) => Elementwise.Negate<T>(a, d), (a, _) => -a),
            ("Multiply", (a, d) => Elementwise.Multiply<T>(a, y, d), (a, b) => a * b),
            ("Multiply by scalar", (a, d) => Elementwise.Multiply<T>(a, scalar, d), (a, _) => a * scalar),
        };
        foreach (var (name, run, expected) in operations)
        {
            var separate = new T[length];
            run(x, separate);
            T[] inPlace = (T[])x.Clone();
            run(inPlace, inPlace);
            for (int i = 0; i < length; i++)
            {
                Assert.True(separate[i] == expected(x[i], y[i]), $"{typeof(T).Name} {name}, length {length}, element {i}");
                Assert.True(inPlace[i] == expected(x[i], y[i]), $"{typeof(T).Name} {name} in place, length {length}, element {i}");
            }
        }
    }

    private static void CheckMultiplyAdd<T>(int length, double relativeTolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom((ulong)length + 200);
        T[] x = Random<T>(length, ref random), y = Random<T>(length, ref random), addend = Random<T>(length, ref random);
        var separate = new T[length];
        Elementwise.MultiplyAdd<T>(x, y, addend, separate);
        T[] inPlace = (T[])addend.Clone();
        Elementwise.MultiplyAdd<T>(x, y, inPlace, inPlace);
        for (int i = 0; i < length; i++)
        {
            double a = double.CreateChecked(x[i]), b = double.CreateChecked(y[i]), c = double.CreateChecked(addend[i]);
            double exact = Math.FusedMultiplyAdd(a, b, c); // exact for float operands, one rounding for double
            double allowed = (Math.Abs(a * b) + Math.Abs(c)) * relativeTolerance;
            Assert.True(Math.Abs(double.CreateChecked(separate[i]) - exact) <= allowed, $"{typeof(T).Name} length {length}, element {i}");
            Assert.True(inPlace[i] == separate[i], $"{typeof(T).Name} in place, length {length}, element {i}");
        }
    }

    private static T[] Random<T>(int length, ref SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked(4 * random.NextDouble() - 2);
        }

        return values;
    }
}
