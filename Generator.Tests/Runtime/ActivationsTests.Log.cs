using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// log: the forward pass (TensorPrimitives.Log, and every width of the register forms the fused loops call) against
// Math.Log, within a few ulps, including the IEEE special points (log 0 = -∞, NaN below zero); the derivative e^-y
// against 1 / x, +∞ at x = 0 as PyTorch gives.
public sealed partial class ActivationsTests
{
    private static readonly double[] LogSpecialPoints =
        [0, -0.0, -1e-300, -1, double.NegativeInfinity, 1e-310, 1e-45, 1e-30, 1 - 1e-7, 1, 1 + 1e-7, 2, 1e30, 3e38, double.MaxValue, double.PositiveInfinity, double.NaN];

    [Fact]
    public void Log_matches_Math_Log_with_IEEE_special_points_at_every_width()
    {
        foreach (int length in Lengths)
        {
            double[] x = Array.ConvertAll(Inputs(length, 19), Math.Abs);
            Array.Copy(LogSpecialPoints, x, Math.Min(length, LogSpecialPoints.Length));
            CheckLog<float>(x, 1e-6);
            CheckLog<double>(x, 4e-15);
        }
    }

    [Fact]
    public void LogBackward_matches_one_over_x()
    {
        foreach (int length in Lengths)
        {
            // The output is recorded in T; 1 / x of the x it came from would differ by the output's rounding, so the
            // reference is e^-y of the recorded y, computed in double. Inputs include 0: y = -∞, dx = ±∞.
            CheckBackward<float>(length, x => Math.Log(Math.Abs(x)), (y, a) => a * Math.Exp(-y), Activations.LogBackward, Activations.LogBackwardAdd, 1e-6);
            CheckBackward<double>(length, x => Math.Log(Math.Abs(x)), (y, a) => a * Math.Exp(-y), Activations.LogBackward, Activations.LogBackwardAdd, 4e-15);
        }

        double[] slope = new double[2];
        Activations.LogBackward<double>([Math.Log(0.25), double.NegativeInfinity], [1.0, 2.0], slope);
        Assert.Equal(4.0, slope[0], 1e-15);
        Assert.Equal(double.PositiveInfinity, slope[1]);
    }

    /// <summary>TensorPrimitives.Log and every register width of Registers.Log against Math.Log.</summary>
    private static void CheckLog<T>(double[] values, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CheckForward<T>(values, Math.Log, TensorPrimitives.Log, Registers.Log, Registers.Log, Registers.Log, Registers.Log, tolerance);
}
