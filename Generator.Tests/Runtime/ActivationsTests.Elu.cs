using System;
using System.Numerics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// elu (alpha = 1): the span kernel and every register width against x or e^x - 1 evaluated accurately in double
// (a series where e^x - 1 would cancel), tiny, huge and special inputs included; the derivative against its formula,
// 1 at x = 0 as PyTorch defines it.
public sealed partial class ActivationsTests
{
    private static readonly double[] EluSpecialPoints =
        [0, -0.0, 1e-300, -1e-300, 1e-30, -1e-30, 1e-8, -1e-8, -1e-3, -0.5, -20, -40, -800, 1e30, -1e30, double.PositiveInfinity, double.NegativeInfinity, double.NaN];

    [Fact]
    public void Elu_is_accurate_for_tiny_and_huge_inputs_at_every_width()
    {
        foreach (int length in Lengths)
        {
            double[] x = Inputs(length, 23);
            Array.Copy(EluSpecialPoints, x, Math.Min(length, EluSpecialPoints.Length));
            CheckForward<float>(x, EluReference, Activations.Elu, Registers.Elu, Registers.Elu, Registers.Elu, Registers.Elu, 1e-6);
            CheckForward<double>(x, EluReference, Activations.Elu, Registers.Elu, Registers.Elu, Registers.Elu, Registers.Elu, 4e-15);
        }
    }

    [Fact]
    public void EluBackward_matches_formula_and_is_one_at_zero()
    {
        foreach (int length in Lengths)
        {
            CheckBackward<float>(length, EluReference, (y, a) => y > 0 ? a : a * (y + 1), Activations.EluBackward, Activations.EluBackwardAdd, 4e-7);
            CheckBackward<double>(length, EluReference, (y, a) => y > 0 ? a : a * (y + 1), Activations.EluBackward, Activations.EluBackwardAdd, 1e-15);
        }

        // At x = 0 (y = 0) PyTorch's elu backward takes the e^x branch: slope 1, from either side.
        double[] slope = new double[2];
        Activations.EluBackward<double>([0.0, -0.0], [1.5, -2.0], slope);
        Assert.Equal([1.5, -2.0], slope);
    }

    private static double EluReference(double x) => x > 0 ? x : ExpM1Reference(x);

    /// <summary>e^x - 1: its Taylor series for |x| &lt; 1/2 (no cancellation), e^x - 1 beyond (at most a factor 2.6 lost).</summary>
    private static double ExpM1Reference(double x)
    {
        if (!(Math.Abs(x) < 0.5))
        {
            return Math.Exp(x) - 1;
        }

        double sum = 0, term = x, previous;
        int n = 1;
        do
        {
            previous = sum;
            sum += term;
            term *= x / ++n;
        }
        while (sum != previous);
        return sum;
    }
}
