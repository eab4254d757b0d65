using System;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// The primitives whose derivative reads the argument x (abs, square, sin, cos, silu, gelu) and logsigmoid: the span
// kernels and every register width against double references, and the derivatives against their formulas evaluated
// in double, at every length that takes a vector path (1 to 129), in place and accumulating. The derivative kernels
// take x where the others take y, so CheckBackward runs them with the identity as the "forward" function.
public sealed partial class ActivationsTests
{
    [Fact]
    public void Abs_square_sin_and_cos_match_their_references_at_every_width()
    {
        foreach (int length in Lengths)
        {
            double[] x = Inputs(length, 29);
            CheckForward<float>(x, Math.Abs, TensorPrimitivesAbs, Registers.Abs, Registers.Abs, Registers.Abs, Registers.Abs, 0);
            CheckForward<double>(x, Math.Abs, TensorPrimitivesAbs, Registers.Abs, Registers.Abs, Registers.Abs, Registers.Abs, 0);
            CheckForward<float>(x, v => v * v, (a, d) => System.Numerics.Tensors.TensorPrimitives.Multiply(a, a, d), Registers.Square, Registers.Square, Registers.Square, Registers.Square, 6e-8);
            CheckForward<double>(x, v => v * v, (a, d) => System.Numerics.Tensors.TensorPrimitives.Multiply(a, a, d), Registers.Square, Registers.Square, Registers.Square, Registers.Square, 0);

            // Arguments within ±30: the range of a pre-activation (the specials beyond it test the other functions).
            double[] angles = Array.ConvertAll(x, v => Math.Clamp(v, -30, 30));
            CheckForward<float>(angles, Math.Sin, (a, d) => System.Numerics.Tensors.TensorPrimitives.Sin(a, d), Registers.Sin, Registers.Sin, Registers.Sin, Registers.Sin, 4e-7);
            CheckForward<double>(angles, Math.Sin, (a, d) => System.Numerics.Tensors.TensorPrimitives.Sin(a, d), Registers.Sin, Registers.Sin, Registers.Sin, Registers.Sin, 1e-15);
            CheckForward<float>(angles, Math.Cos, (a, d) => System.Numerics.Tensors.TensorPrimitives.Cos(a, d), Registers.Cos, Registers.Cos, Registers.Cos, Registers.Cos, 4e-7);
            CheckForward<double>(angles, Math.Cos, (a, d) => System.Numerics.Tensors.TensorPrimitives.Cos(a, d), Registers.Cos, Registers.Cos, Registers.Cos, Registers.Cos, 1e-15);
        }
    }

    [Fact]
    public void Silu_gelu_and_logsigmoid_match_accurate_double_references_at_every_width()
    {
        foreach (int length in Lengths)
        {
            double[] x = Inputs(length, 31);
            CheckForward<float>(x, SiluReference, Activations.Silu, Registers.Silu, Registers.Silu, Registers.Silu, Registers.Silu, 1e-6);
            CheckForward<double>(x, SiluReference, Activations.Silu, Registers.Silu, Registers.Silu, Registers.Silu, Registers.Silu, 4e-15);
            // gelu is ill-conditioned where it is tiny: |x gelu'(x) / gelu(x)| is about 1 + 2|x| u', 220 at x = -9.9 (the
            // last float not to underflow) and 1600 at x = -19.5 (double), so the error of x's rounding is amplified so.
            CheckForward<float>(x, GeluReference, Activations.Gelu, Registers.Gelu, Registers.Gelu, Registers.Gelu, Registers.Gelu, 220 * 6e-8);
            CheckForward<double>(x, GeluReference, Activations.Gelu, Registers.Gelu, Registers.Gelu, Registers.Gelu, Registers.Gelu, 1600 * 1.2e-16);
            CheckForward<float>(x, LogSigmoidReference, Activations.LogSigmoid, Registers.LogSigmoid, Registers.LogSigmoid, Registers.LogSigmoid, Registers.LogSigmoid, 1e-6);
            CheckForward<double>(x, LogSigmoidReference, Activations.LogSigmoid, Registers.LogSigmoid, Registers.LogSigmoid, Registers.LogSigmoid, Registers.LogSigmoid, 4e-15);
        }
    }

    [Fact]
    public void Gelu_keeps_its_digits_where_tanh_u_is_near_minus_one()
    {
        // (1 + tanh u) / 2 would cancel to 0 here; gelu(-10) = -10 σ(2u), about -7.7e-38, a normal double.
        double[] x = [-5, -10, -20], y = new double[3];
        Activations.Gelu<double>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            AssertClose(GeluReference(x[i]), y[i], 1e-14, $"gelu({x[i]})");
            Assert.True(y[i] < 0, $"gelu({x[i]}) = {y[i]}");
        }
    }

    [Fact]
    public void Derivatives_of_the_argument_match_their_formulas()
    {
        foreach (int length in Lengths)
        {
            CheckBackward<float>(length, x => x, (x, a) => a * Math.Sign(x), Activations.AbsBackward, Activations.AbsBackwardAdd, 0);
            CheckBackward<double>(length, x => x, (x, a) => a * Math.Sign(x), Activations.AbsBackward, Activations.AbsBackwardAdd, 0);
            CheckBackward<float>(length, x => x, (x, a) => a * 2 * x, Activations.SquareBackward, Activations.SquareBackwardAdd, 6e-8);
            CheckBackward<double>(length, x => x, (x, a) => a * 2 * x, Activations.SquareBackward, Activations.SquareBackwardAdd, 0);
            CheckBackward<float>(length, x => Math.Clamp(x, -30, 30), (x, a) => a * Math.Cos(x), Activations.SinBackward, Activations.SinBackwardAdd, 5e-7);
            CheckBackward<double>(length, x => Math.Clamp(x, -30, 30), (x, a) => a * Math.Cos(x), Activations.SinBackward, Activations.SinBackwardAdd, 2e-15);
            CheckBackward<float>(length, x => Math.Clamp(x, -30, 30), (x, a) => -a * Math.Sin(x), Activations.CosBackward, Activations.CosBackwardAdd, 5e-7);
            CheckBackward<double>(length, x => Math.Clamp(x, -30, 30), (x, a) => -a * Math.Sin(x), Activations.CosBackward, Activations.CosBackwardAdd, 2e-15);
            CheckBackward<float>(length, x => x, (x, a) => a * SiluSlope(x), Activations.SiluBackward, Activations.SiluBackwardAdd, 2e-6);
            CheckBackward<double>(length, x => x, (x, a) => a * SiluSlope(x), Activations.SiluBackward, Activations.SiluBackwardAdd, 1e-13);
            // gelu' is as ill-conditioned as gelu where it is tiny (see the forward test).
            CheckBackward<float>(length, x => x, (x, a) => a * GeluSlope(x), Activations.GeluBackward, Activations.GeluBackwardAdd, 220 * 6e-8);
            CheckBackward<double>(length, x => x, (x, a) => a * GeluSlope(x), Activations.GeluBackward, Activations.GeluBackwardAdd, 1600 * 1.2e-16);
            CheckBackward<float>(length, LogSigmoidReference, (y, a) => a * -ExpM1Reference(y), Activations.LogSigmoidBackward, Activations.LogSigmoidBackwardAdd, 4e-7);
            CheckBackward<double>(length, LogSigmoidReference, (y, a) => a * -ExpM1Reference(y), Activations.LogSigmoidBackward, Activations.LogSigmoidBackwardAdd, 1e-15);
        }
    }

    [Fact]
    public void Derivatives_at_the_kinks_follow_PyTorch()
    {
        // abs'(0) = 0 (either sign of zero) and abs'(NaN) = 0, as torch.abs's backward (sgn) gives in PyTorch 1.13.
        double[] dx = new double[3];
        Activations.AbsBackward<double>([0.0, -0.0, double.NaN], [1.5, -2.0, 3.0], dx);
        Assert.Equal([0.0, 0.0, 0.0], dx);

        // logsigmoid'(x) = 1 - σ(x): at x = 40, 4.248354255291589e-18 (PyTorch's value), where 1 - e^y would give 0.
        double[] y = new double[1], slope = new double[1];
        Activations.LogSigmoid<double>([40.0], y);
        Activations.LogSigmoidBackward<double>(y, [1.0], slope);
        AssertClose(4.248354255291589e-18, slope[0], 1e-14, "logsigmoid'(40)");

        // gelu'(-5) from the tanh form differentiated in 50-digit arithmetic (mpmath): -1.5463619875325946e-06.
        double[] geluSlope = new double[1];
        Activations.GeluBackward<double>([-5.0], [1.0], geluSlope);
        AssertClose(-1.5463619875325946e-06, geluSlope[0], 1e-14, "gelu'(-5)");
    }

    private static void TensorPrimitivesAbs<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => System.Numerics.Tensors.TensorPrimitives.Abs(x, destination);

    private static double SiluReference(double x) => x / (1 + Math.Exp(-x));

    private static double SiluSlope(double x)
    {
        double s = 1 / (1 + Math.Exp(-x));
        return s + x * s * (1 - s);
    }

    /// <summary>x σ(2u) with u = √(2/π)(x + 0.044715 x³): (1 + tanh u) / 2 = σ(2u), without its cancellation.</summary>
    private static double GeluReference(double x)
    {
        double u = Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return x / (1 + Math.Exp(-2 * u));
    }

    /// <summary>
    /// σ(2u) + 2x u' σ(2u) σ(-2u): PyTorch's gelu_backward (approximate='tanh') with (1 + t)/2 = σ(2u) and
    /// (1 - t²)/4 = σ(2u) σ(-2u), t = tanh u, which cancel for negative x in the tanh form (2.8e-10 wrong at x = -5).
    /// </summary>
    private static double GeluSlope(double x)
    {
        double beta = Math.Sqrt(2 / Math.PI), twiceU = 2 * beta * (x + 0.044715 * x * x * x);
        double s = 1 / (1 + Math.Exp(-twiceU)), oneMinusS = 1 / (1 + Math.Exp(twiceU));
        return s + x * 2 * beta * (1 + 3 * 0.044715 * x * x) * s * oneMinusS;
    }

    /// <summary>-log(1 + e^-x), through log1p where e^-x is small and as x - log(1 + e^x) where it is large.</summary>
    private static double LogSigmoidReference(double x) =>
        x >= 0 ? -Log1PReference(Math.Exp(-x)) : x - Log1PReference(Math.Exp(x));

    private static double Log1PReference(double z) => 1 + z == 1 ? z : Math.Log(1 + z) * z / (1 + z - 1);
}
