using System;
using System.Runtime.Intrinsics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>
/// The register forms the fused loops of generated steps call (<see cref="Registers"/>), at every width: the
/// FastActivations forms and the derivatives bit for bit against the span kernels.
/// </summary>
public class RegistersTests
{
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

    [Fact]
    public void Derivative_forms_of_the_newer_primitives_equal_the_span_kernels_bit_for_bit()
    {
        var random = new Random(5);
        float[] y = new float[64], dy = new float[64], expected = new float[64];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (float)(8 * random.NextDouble() - 4);
            dy[i] = (float)(4 * random.NextDouble() - 2);
        }
        y[0] = 0;

        foreach (int width in new[] { 512, 256, 128, 1 })
        {
            Activations.SqrtBackward<float>(y, dy, expected);
            Assert.Equal(expected, Apply(width, y, dy, Registers.SqrtBackward, Registers.SqrtBackward, Registers.SqrtBackward, Registers.SqrtBackward));
            Activations.EluBackward<float>(y, dy, expected);
            Assert.Equal(expected, Apply(width, y, dy, Registers.EluBackward, Registers.EluBackward, Registers.EluBackward, Registers.EluBackward));
            // The derivatives of the argument, with y's values as x.
            Activations.AbsBackward<float>(y, dy, expected);
            Assert.Equal(expected, Apply(width, y, dy, Registers.AbsBackward, Registers.AbsBackward, Registers.AbsBackward, Registers.AbsBackward));
            Activations.SquareBackward<float>(y, dy, expected);
            Assert.Equal(expected, Apply(width, y, dy, Registers.SquareBackward, Registers.SquareBackward, Registers.SquareBackward, Registers.SquareBackward));

            // Through e^x, as LogBackward below: within a few ulps of the span kernels (scalar float.Exp against the
            // vectorised exp), of dy (|dy| < 2) where the derivative crosses zero (silu' at x = -1.28).
            Activations.LogSigmoidBackward<float>(y, dy, expected);
            AssertWithinUlps(width, expected, Apply(width, y, dy, Registers.LogSigmoidBackward, Registers.LogSigmoidBackward, Registers.LogSigmoidBackward, Registers.LogSigmoidBackward));
            Activations.SiluBackward<float>(y, dy, expected);
            AssertWithinUlps(width, expected, Apply(width, y, dy, Registers.SiluBackward, Registers.SiluBackward, Registers.SiluBackward, Registers.SiluBackward));
            Activations.GeluBackward<float>(y, dy, expected);
            AssertWithinUlps(width, expected, Apply(width, y, dy, Registers.GeluBackward, Registers.GeluBackward, Registers.GeluBackward, Registers.GeluBackward));

            // e^-y: the scalar form calls float.Exp, the vector forms the vectorised exp; they may differ by an ulp.
            Activations.LogBackward<float>(y, dy, expected);
            float[] logBackward = Apply(width, y, dy, Registers.LogBackward, Registers.LogBackward, Registers.LogBackward, Registers.LogBackward);
            for (int i = 0; i < y.Length; i++)
            {
                Assert.True(Math.Abs(logBackward[i] - expected[i]) <= 2.4e-7 * Math.Abs(expected[i]), $"width {width}, lane {i}: {logBackward[i]} vs {expected[i]}");
            }
        }
    }

    private static void AssertWithinUlps(int width, float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 4.8e-7 * Math.Max(Math.Abs(expected[i]), 1), $"width {width}, lane {i}: {actual[i]} vs {expected[i]}");
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
}
