using System;
using System.Collections.Generic;
using System.Numerics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>
/// Every <see cref="Activations"/> helper against its scalar formula evaluated in double (with a series
/// where the formula would cancel), over lengths below, at and around every vector width, so that the
/// scalar path, full vectors and the overlapping last vector are all exercised, in place for the
/// backward helpers. Errors are relative to the reference, a few ulps: float 1e-6 and double 4e-15 for
/// anything that calls exp or log (the largest errors seen over 1e5 inputs of magnitude 1e-4 to 3e4 were
/// 2.8e-7 and 9.5e-16), 4e-7 and 1e-15 for plain products. Results below the smallest normal number need
/// only be within that number of the reference.
/// </summary>
public sealed partial class ActivationsTests
{
    private static readonly int[] Lengths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 129];

    /// <summary>Edge cases first (tiny, moderate, huge, both signs), then uniform values in [-30, 30].</summary>
    private static double[] Inputs(int length, ulong seed)
    {
        double[] special =
        [
            0, 1e-30, -1e-30, 1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 1, -1, 5, -5, 20, -20, 40, -40,
            -80, -84, -86, 88, -88, 100, -100, 700, -700, 1000, -1000,
        ];
        var random = new SeededRandom(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = i < special.Length ? special[(i + (int)seed) % special.Length] : 60 * random.NextDouble() - 30;
        }
        return values;
    }

    [Fact]
    public void Softplus_matches_formula()
    {
        foreach (int length in Lengths)
        {
            CheckSoftplus<float>(length, 1e-6);
            CheckSoftplus<double>(length, 4e-15);
        }
    }

    [Fact]
    public void Softplus_is_exact_for_large_inputs_and_keeps_tiny_results()
    {
        double[] values = [100, -100, 100, -100, 100, -100, 100, -100, 100, -100];
        double[] result = new double[values.Length];
        Activations.Softplus<double>(values, result);
        float[] valuesF = Array.ConvertAll(values, v => (float)v);
        float[] resultF = new float[values.Length];
        Activations.Softplus<float>(valuesF, resultF);

        for (int i = 0; i < values.Length; i += 2)
        {
            Assert.Equal(100.0, result[i]);
            Assert.Equal(100f, resultF[i]);
            Assert.Equal(3.720075976020836e-44, result[i + 1], 3.720075976020836e-44 * 1e-14);
        }
    }

    [Fact]
    public void Softplus_and_Relu_work_in_place()
    {
        foreach (int length in Lengths)
        {
            float[] x = Array.ConvertAll(Inputs(length, 3), v => (float)v);
            float[] expected = new float[length];
            float[] inPlace = (float[])x.Clone();

            Activations.Softplus<float>(x, expected);
            Activations.Softplus<float>(inPlace, inPlace);
            Assert.Equal(expected, inPlace);

            inPlace = (float[])x.Clone();
            Activations.Relu<float>(x, expected);
            Activations.Relu<float>(inPlace, inPlace);
            Assert.Equal(expected, inPlace);
        }
    }

    [Fact]
    public void Relu_matches_formula()
    {
        foreach (int length in Lengths)
        {
            double[] x = Inputs(length, 5);
            double[] result = new double[length];
            Activations.Relu<double>(x, result);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(Math.Max(x[i], 0), result[i]);
            }
        }
    }

    [Fact]
    public void TanhBackward_matches_formula()
    {
        foreach (int length in Lengths)
        {
            // (1 - y)(1 + y) rather than 1 - y², which cancels as |y| approaches 1.
            CheckBackward<float>(length, Math.Tanh, (y, a) => a * ((1 - y) * (1 + y)), Activations.TanhBackward, Activations.TanhBackwardAdd, 4e-7);
            CheckBackward<double>(length, Math.Tanh, (y, a) => a * ((1 - y) * (1 + y)), Activations.TanhBackward, Activations.TanhBackwardAdd, 1e-15);
        }
    }

    [Fact]
    public void SigmoidBackward_matches_formula()
    {
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        foreach (int length in Lengths)
        {
            CheckBackward<float>(length, Sigmoid, (y, a) => a * y * (1 - y), Activations.SigmoidBackward, Activations.SigmoidBackwardAdd, 4e-7);
            CheckBackward<double>(length, Sigmoid, (y, a) => a * y * (1 - y), Activations.SigmoidBackward, Activations.SigmoidBackwardAdd, 1e-15);
        }
    }

    [Fact]
    public void ReluBackward_matches_formula()
    {
        foreach (int length in Lengths)
        {
            CheckBackward<float>(length, x => Math.Max(x, 0), (y, a) => y > 0 ? a : 0, Activations.ReluBackward, Activations.ReluBackwardAdd, 0);
            CheckBackward<double>(length, x => Math.Max(x, 0), (y, a) => y > 0 ? a : 0, Activations.ReluBackward, Activations.ReluBackwardAdd, 0);
        }
    }

    [Fact]
    public void SoftplusBackward_matches_formula()
    {
        foreach (int length in Lengths)
        {
            CheckBackward<float>(length, SoftplusReference, (y, a) => a * OneMinusExpOfMinus(y), Activations.SoftplusBackward, Activations.SoftplusBackwardAdd, 1e-6);
            CheckBackward<double>(length, SoftplusReference, (y, a) => a * OneMinusExpOfMinus(y), Activations.SoftplusBackward, Activations.SoftplusBackwardAdd, 4e-15);
        }
    }

    [Fact]
    public void Spans_of_different_lengths_are_rejected()
    {
        float[] three = new float[3], four = new float[4];
        Assert.Throws<ArgumentException>(() => Activations.Softplus<float>(three, four));
        Assert.Throws<ArgumentException>(() => Activations.Relu<float>(three, four));
        Assert.Throws<ArgumentException>(() => Activations.TanhBackward<float>(three, four, four));
        Assert.Throws<ArgumentException>(() => Activations.SoftplusBackward<float>(four, four, three));
        Assert.Throws<ArgumentException>(() => Activations.SigmoidBackwardAdd<float>(four, three, four));
    }

    [Fact]
    public void Helpers_allocate_nothing()
    {
        float[] x = new float[33], y = new float[33];
        double[] xD = new double[33], yD = new double[33];
        Assert.Equal(0, SteadyStateAllocation.Measure(() => RunAll(x, y, xD, yD)));

        static void RunAll(float[] x, float[] y, double[] xD, double[] yD)
        {
            Activations.Softplus<float>(x, y);
            Activations.Relu<float>(x, y);
            Activations.TanhBackward<float>(x, x, y);
            Activations.SigmoidBackward<float>(x, x, y);
            Activations.ReluBackward<float>(x, x, y);
            Activations.SoftplusBackwardAdd<float>(x, x, y);
            Activations.Softplus<double>(xD, yD);
            Activations.Relu<double>(xD, yD);
            Activations.TanhBackwardAdd<double>(xD, xD, yD);
            Activations.SigmoidBackwardAdd<double>(xD, xD, yD);
            Activations.ReluBackwardAdd<double>(xD, xD, yD);
            Activations.SoftplusBackward<double>(xD, xD, yD);
        }
    }

    private delegate void Backward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination);

    private static void CheckSoftplus<T>(int length, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Array.ConvertAll(Inputs(length, (ulong)length), v => T.CreateTruncating(v));
        T[] result = new T[length];

        Activations.Softplus<T>(x, result);

        for (int i = 0; i < length; i++)
        {
            AssertClose(SoftplusReference(double.CreateChecked(x[i])), result[i], tolerance, $"softplus({x[i]})");
        }
    }

    /// <summary>
    /// The destination form into a separate span and in place (destination = adjoint) against the formula; the
    /// accumulating form against the destination form plus what the destination held, to the bit, so that a
    /// generated "dx += ..." rounds exactly as "dx_term = ...; dx += dx_term" did.
    /// </summary>
    private static void CheckBackward<T>(int length, Func<double, double> forward, Func<double, double, double> expected,
        Backward<T> backward, Backward<T> backwardAdd, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] x = Inputs(length, (ulong)length + 11);
        var random = new SeededRandom((ulong)length);
        T[] output = Array.ConvertAll(x, v => T.CreateTruncating(forward(v)));
        T[] adjoint = new T[length], earlier = new T[length];
        for (int i = 0; i < length; i++)
        {
            adjoint[i] = T.CreateTruncating(4 * random.NextDouble() - 2);
            earlier[i] = T.CreateTruncating(4 * random.NextDouble() - 2);
        }

        T[] destination = new T[length];
        backward(output, adjoint, destination);
        T[] inPlace = (T[])adjoint.Clone();
        backward(output, inPlace, inPlace);
        T[] accumulated = (T[])earlier.Clone();
        backwardAdd(output, adjoint, accumulated);

        for (int i = 0; i < length; i++)
        {
            double reference = expected(double.CreateChecked(output[i]), double.CreateChecked(adjoint[i]));
            AssertClose(reference, destination[i], tolerance, $"{typeof(T).Name} length {length}, output {output[i]}");
            Assert.Equal(destination[i], inPlace[i]);
            Assert.Equal(earlier[i] + destination[i], accumulated[i]);
        }
    }

    private static void AssertClose<T>(double expected, T actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!double.IsFinite(expected))
        {
            Assert.True(expected.Equals(double.CreateChecked(actual)), $"{what}: expected {expected:R}, got {actual}");
            return;
        }

        double smallestNormal = typeof(T) == typeof(float) ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
        double error = Math.Abs(double.CreateChecked(actual) - expected);
        Assert.True(error <= tolerance * Math.Abs(expected) || error < smallestNormal,
            $"{what}: expected {expected:R}, got {actual}, relative error {error / Math.Abs(expected):E2} > {tolerance:E0}");
    }

    private static double SoftplusReference(double x) => Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x)));

    /// <summary>log(1 + u) for u in [0, 1] as 2·atanh(u / (2 + u)), whose series has no cancellation.</summary>
    private static double Log1P(double u)
    {
        double z = u / (2 + u), z2 = z * z, term = z, sum = 0, previous;
        int k = 1;
        do
        {
            previous = sum;
            sum += term / k;
            term *= z2;
            k += 2;
        }
        while (sum != previous);
        return 2 * sum;
    }

    /// <summary>
    /// FastTanh and FastSigmoid (the FastActivations approximations) against Math.Tanh and the logistic function in
    /// double, over 22.5 million floats: every 97th bit pattern from 0 to 10, and their negatives. Measured: tanh
    /// within 2.57e-7 absolute and 2.88e-7 relative, sigmoid within 1.50e-7 absolute; the bounds allow 3e-7 and
    /// 1.6e-7 (TensorPrimitives.Tanh measured 1.5e-7 on the same inputs). In double the approximation is the same
    /// rational function, so its error is the same 2.6e-7.
    /// </summary>
    [Fact]
    public void FastTanh_and_FastSigmoid_are_within_their_documented_error()
    {
        var inputs = new List<float>();
        for (uint bits = 0; bits < 0x41200000u; bits += 97)
        {
            float value = BitConverter.UInt32BitsToSingle(bits);
            inputs.Add(value);
            inputs.Add(-value);
        }
        float[] x = inputs.ToArray(), tanh = new float[x.Length], sigmoid = new float[x.Length];
        Activations.FastTanh<float>(x, tanh);
        Activations.FastSigmoid<float>(x, sigmoid);
        double tanhAbsolute = 0, tanhRelative = 0, sigmoidAbsolute = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Tanh(x[i]), error = Math.Abs(tanh[i] - exact);
            tanhAbsolute = Math.Max(tanhAbsolute, error);
            tanhRelative = exact == 0 ? tanhRelative : Math.Max(tanhRelative, error / Math.Abs(exact));
            sigmoidAbsolute = Math.Max(sigmoidAbsolute, Math.Abs(sigmoid[i] - 1 / (1 + Math.Exp(-(double)x[i]))));
        }
        Assert.True(tanhAbsolute <= 3e-7, $"FastTanh: {tanhAbsolute:E3} absolute");
        Assert.True(tanhRelative <= 3e-7, $"FastTanh: {tanhRelative:E3} relative");
        Assert.True(sigmoidAbsolute <= 1.6e-7, $"FastSigmoid: {sigmoidAbsolute:E3} absolute");

        double[] xd = Array.ConvertAll(x, v => (double)v), tanhD = new double[xd.Length];
        Activations.FastTanh<double>(xd, tanhD);
        double doubleAbsolute = 0;
        for (int i = 0; i < xd.Length; i++)
        {
            doubleAbsolute = Math.Max(doubleAbsolute, Math.Abs(tanhD[i] - Math.Tanh(xd[i])));
        }
        Assert.True(doubleAbsolute <= 3e-7, $"FastTanh<double>: {doubleAbsolute:E3} absolute");
    }

    [Fact]
    public void FastTanh_keeps_tiny_inputs_levels_off_and_propagates_NaN_in_every_path()
    {
        foreach (int length in Lengths)
        {
            float[] x = new float[length];
            float[] special = [1e-30f, -3e-5f, 50f, -50f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0.3f];
            for (int i = 0; i < length; i++)
            {
                x[i] = special[i % special.Length];
            }
            float[] tanh = new float[length], sigmoid = new float[length];
            Activations.FastTanh<float>(x, tanh);
            Activations.FastSigmoid<float>(x, sigmoid);
            float[] inPlace = (float[])x.Clone();
            Activations.FastTanh<float>(inPlace, inPlace);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(tanh[i], inPlace[i]);
                switch (x[i])
                {
                    case float.NaN:
                        Assert.True(float.IsNaN(tanh[i]) && float.IsNaN(sigmoid[i]), $"length {length}, element {i}");
                        break;
                    case 50f or float.PositiveInfinity: // beyond the clamp: the value at 7.905, 2.4e-7 below 1
                        Assert.Equal(1f, tanh[i], 3e-7f);
                        Assert.Equal(1f, sigmoid[i], 1.6e-7f);
                        break;
                    case -50f or float.NegativeInfinity:
                        Assert.Equal(-1f, tanh[i], 3e-7f);
                        Assert.Equal(0f, sigmoid[i], 1.6e-7f);
                        break;
                    case 1e-30f or -3e-5f:
                        Assert.Equal(x[i], tanh[i]);
                        break;
                    default:
                        Assert.Equal(Math.Tanh(x[i]), tanh[i], 3e-7);
                        break;
                }
            }
        }
    }

    /// <summary>1 - e^-y, by its alternating series where the subtraction would cancel.</summary>
    private static double OneMinusExpOfMinus(double y)
    {
        if (y >= 0.5)
        {
            return 1 - Math.Exp(-y);
        }
        double term = y, sum = 0, previous;
        int k = 1;
        do
        {
            previous = sum;
            sum += term;
            k++;
            term *= -y / k;
        }
        while (sum != previous);
        return sum;
    }
}
