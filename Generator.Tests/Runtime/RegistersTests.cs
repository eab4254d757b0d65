using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using UnrolledRnn.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>
/// The register forms the fused loops of generated steps call (<see cref="Registers"/>), at every width, against tanh and
/// the logistic function in double: the accurate forms over the 22.5 million floats of the FastActivations
/// measurement (every 97th bit pattern from 0 to 10, and their negatives) and, in double, over 2 million values of
/// magnitude 1e-12 to 40; the FastActivations forms and the derivatives bit for bit against the span kernels.
/// </summary>
public class RegistersTests(ITestOutputHelper output)
{
    /// <summary>
    /// Measured: float tanh 1.6e-7 relative (TensorPrimitives.Tanh: 1.5e-7), sigmoid 8.9e-8; double tanh 1.3e-15,
    /// sigmoid 4.3e-16. Bounds: a few ulps, as the span kernels' (ActivationsTests).
    /// </summary>
    [Fact]
    public void Accurate_tanh_and_sigmoid_are_within_a_few_ulps_at_every_width()
    {
        var inputs = new List<float>();
        for (uint bits = 0; bits < 0x41200000u; bits += 97)
        {
            float value = BitConverter.UInt32BitsToSingle(bits);
            inputs.Add(value);
            inputs.Add(-value);
        }
        inputs.AddRange([20f, -20f, 100f, -100f, 1e30f, -1e30f]);
        while (inputs.Count % 16 != 0)
        {
            inputs.Add(0.5f);
        }

        float[] x = inputs.ToArray();
        foreach (int width in new[] { 512, 256, 128, 1 })
        {
            var (tanh, sigmoid) = Evaluate(x, width);
            double tanhError = 0, sigmoidError = 0;
            for (int i = 0; i < x.Length; i++)
            {
                tanhError = Math.Max(tanhError, Relative(Math.Tanh(x[i]), tanh[i]));
                sigmoidError = Math.Max(sigmoidError, Relative(1 / (1 + Math.Exp(-(double)x[i])), sigmoid[i]));
            }
            output.WriteLine($"float, {width} bits: tanh {tanhError:E2}, sigmoid {sigmoidError:E2} relative");
            Assert.True(tanhError <= 2.5e-7, $"float tanh at {width} bits: {tanhError:E2} relative");
            Assert.True(sigmoidError <= 2.5e-7, $"float sigmoid at {width} bits: {sigmoidError:E2} relative");
        }

        var random = new Random(5);
        var xd = new double[2_000_000];
        for (int i = 0; i < xd.Length; i++)
        {
            xd[i] = (i % 2 == 0 ? 1 : -1) * Math.Exp(random.NextDouble() * Math.Log(4e13)) * 1e-12;
        }
        foreach (int width in new[] { 512, 256, 128 })
        {
            var (tanh, sigmoid) = Evaluate(xd, width);
            double tanhError = 0, sigmoidError = 0;
            for (int i = 0; i < xd.Length; i++)
            {
                tanhError = Math.Max(tanhError, Relative(Math.Tanh(xd[i]), tanh[i]));
                sigmoidError = Math.Max(sigmoidError, Relative(1 / (1 + Math.Exp(-xd[i])), sigmoid[i]));
            }
            output.WriteLine($"double, {width} bits: tanh {tanhError:E2}, sigmoid {sigmoidError:E2} relative");
            Assert.True(tanhError <= 4e-15, $"double tanh at {width} bits: {tanhError:E2} relative");
            Assert.True(sigmoidError <= 4e-15, $"double sigmoid at {width} bits: {sigmoidError:E2} relative");
        }
    }

    [Fact]
    public void Accurate_tanh_and_sigmoid_propagate_NaN_keep_signed_zero_and_saturate()
    {
        float[] x = [float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, 1e-30f, -1e-30f, 30f, -30f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f];
        foreach (int width in new[] { 512, 256, 128, 1 })
        {
            var (tanh, sigmoid) = Evaluate(x, width);
            Assert.True(float.IsNaN(tanh[0]) && float.IsNaN(sigmoid[0]), $"NaN at {width} bits");
            Assert.True(float.IsNegative(tanh[1]) && tanh[1] == 0, $"tanh(-0) at {width} bits: {tanh[1]}");
            Assert.Equal([0f, 1f, -1f, 1e-30f, -1e-30f, 1f, -1f], tanh[2..9]);
            Assert.Equal([0.5f, 1f, 0f, 0.5f, 0.5f, 1f], sigmoid[2..8]);
        }
    }

    [Fact]
    public void FastActivations_and_derivative_forms_equal_the_span_kernels_bit_for_bit()
    {
        var random = new Random(3);
        float[] x = new float[64], y = new float[64], dy = new float[64], expected = new float[64];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(20 * random.NextDouble() - 10);
            y[i] = (float)(2 * random.NextDouble() - 1);
            dy[i] = (float)(4 * random.NextDouble() - 2);
        }

        foreach (int width in new[] { 512, 256, 128, 1 })
        {
            Activations.FastTanh<float>(x, expected);
            Assert.Equal(expected, Apply(width, x, x, (a, _) => Registers.FastTanh(a), (a, _) => Registers.FastTanh(a), (a, _) => Registers.FastTanh(a), (a, _) => Registers.FastTanh(a)));
            Activations.FastSigmoid<float>(x, expected);
            Assert.Equal(expected, Apply(width, x, x, (a, _) => Registers.FastSigmoid(a), (a, _) => Registers.FastSigmoid(a), (a, _) => Registers.FastSigmoid(a), (a, _) => Registers.FastSigmoid(a)));
            Activations.TanhBackward<float>(y, dy, expected);
            Assert.Equal(expected, Apply(width, y, dy, Registers.TanhBackward, Registers.TanhBackward, Registers.TanhBackward, Registers.TanhBackward));
            Activations.SigmoidBackward<float>(y, dy, expected);
            Assert.Equal(expected, Apply(width, y, dy, Registers.SigmoidBackward, Registers.SigmoidBackward, Registers.SigmoidBackward, Registers.SigmoidBackward));
        }
    }

    /// <summary>f(a[i], b[i]) for every i, through the register form of one width (1: the scalar one).</summary>
    private static float[] Apply(int width, float[] a, float[] b, Func<Vector512<float>, Vector512<float>, Vector512<float>> f512,
        Func<Vector256<float>, Vector256<float>, Vector256<float>> f256, Func<Vector128<float>, Vector128<float>, Vector128<float>> f128, Func<float, float, float> scalar)
    {
        var result = new float[a.Length];
        for (int i = 0; i < a.Length; i += Math.Max(1, width / 32))
        {
            switch (width)
            {
                case 512: Registers.Store(f512(Registers.Load512<float>(a, i), Registers.Load512<float>(b, i)), result, i); break;
                case 256: Registers.Store(f256(Registers.Load256<float>(a, i), Registers.Load256<float>(b, i)), result, i); break;
                case 128: Registers.Store(f128(Registers.Load128<float>(a, i), Registers.Load128<float>(b, i)), result, i); break;
                default: result[i] = scalar(a[i], b[i]); break;
            }
        }
        return result;
    }

    private static (T[] Tanh, T[] Sigmoid) Evaluate<T>(T[] x, int width)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] tanh = new T[x.Length], sigmoid = new T[x.Length];
        int step = width == 1 ? 1 : width / 8 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int i = 0; i + step <= x.Length; i += step)
        {
            switch (width)
            {
                case 512:
                    var v5 = Registers.Load512<T>(x, i);
                    Registers.Store(Registers.Tanh(v5), tanh, i);
                    Registers.Store(Registers.Sigmoid(v5), sigmoid, i);
                    break;
                case 256:
                    var v2 = Registers.Load256<T>(x, i);
                    Registers.Store(Registers.Tanh(v2), tanh, i);
                    Registers.Store(Registers.Sigmoid(v2), sigmoid, i);
                    break;
                case 128:
                    var v1 = Registers.Load128<T>(x, i);
                    Registers.Store(Registers.Tanh(v1), tanh, i);
                    Registers.Store(Registers.Sigmoid(v1), sigmoid, i);
                    break;
                default:
                    tanh[i] = Registers.Tanh(x[i]);
                    sigmoid[i] = Registers.Sigmoid(x[i]);
                    break;
            }
        }
        return (tanh, sigmoid);
    }

    private static double Relative<T>(double expected, T actual)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        double error = Math.Abs(double.CreateChecked(actual) - expected);
        return error < 1e-300 || (typeof(T) == typeof(float) && Math.Abs(expected) < 1.2e-38) ? 0 : error / Math.Abs(expected);
    }
}
