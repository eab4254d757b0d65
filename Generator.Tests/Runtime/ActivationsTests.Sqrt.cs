using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// sqrt: the forward pass (TensorPrimitives.Sqrt, and the register forms the fused loops call) against Math.Sqrt, to the
// bit (the square root is correctly rounded, and so is Math.Sqrt's double result rounded to float), including the
// IEEE special points; the derivative 1 / (2y) against its formula, +∞ at y = 0 as PyTorch gives.
public sealed partial class ActivationsTests
{
    private static readonly double[] SqrtSpecialPoints =
        [0, -0.0, -1e-300, -1, -1e30, double.NegativeInfinity, 1e-310, 1e-45, 1e-30, 1, 2, 1e30, 3e38, 1e300, double.MaxValue, double.PositiveInfinity, double.NaN];

    [Fact]
    public void Sqrt_is_correctly_rounded_with_IEEE_special_points_at_every_width()
    {
        foreach (int length in Lengths)
        {
            double[] x = Inputs(length, 17);
            Array.Copy(SqrtSpecialPoints, x, Math.Min(length, SqrtSpecialPoints.Length));
            CheckSqrt<float>(x);
            CheckSqrt<double>(x);
        }
    }

    [Fact]
    public void SqrtBackward_matches_formula_and_is_infinite_at_zero()
    {
        foreach (int length in Lengths)
        {
            // Inputs include 0, where dy / (2y) is ±∞ (the sign of dy), as PyTorch's sqrt backward gives.
            CheckBackward<float>(length, x => Math.Sqrt(Math.Abs(x)), (y, a) => a / (2 * y), Activations.SqrtBackward, Activations.SqrtBackwardAdd, 4e-7);
            CheckBackward<double>(length, x => Math.Sqrt(Math.Abs(x)), (y, a) => a / (2 * y), Activations.SqrtBackward, Activations.SqrtBackwardAdd, 1e-15);
        }

        double[] atZero = new double[1];
        Activations.SqrtBackward<double>([0.0], [-3.0], atZero);
        Assert.Equal(double.NegativeInfinity, atZero[0]);
    }

    /// <summary>TensorPrimitives.Sqrt and every register width of Registers.Sqrt against Math.Sqrt, bit for bit.</summary>
    private static void CheckSqrt<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Array.ConvertAll(values, v => T.CreateTruncating(v));
        T[] result = new T[x.Length];
        TensorPrimitives.Sqrt<T>(x, result);
        for (int i = 0; i < x.Length; i++)
        {
            T expected = T.CreateTruncating(Math.Sqrt(double.CreateChecked(x[i])));
            Assert.True(expected.Equals(result[i]), $"{typeof(T).Name} sqrt({x[i]}): expected {expected}, got {result[i]}");
            Assert.True(expected.Equals(Registers.Sqrt(x[i])), $"{typeof(T).Name} scalar register sqrt({x[i]})");
        }

        for (int i = 0; i + Vector128<T>.Count <= x.Length; i++)
        {
            AssertLanes(result, i, Registers.Sqrt(Registers.Load128<T>(x, i)));
            if (i + Vector256<T>.Count <= x.Length)
            {
                AssertLanes(result, i, Registers.Sqrt(Registers.Load256<T>(x, i)));
            }
            if (i + Vector512<T>.Count <= x.Length)
            {
                AssertLanes(result, i, Registers.Sqrt(Registers.Load512<T>(x, i)));
            }
        }
    }
}
