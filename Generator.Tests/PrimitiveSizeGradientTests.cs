using System;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Finite-difference checks of a cell around each newer primitive (PrimitiveSizeCells) at hidden sizes that take its
/// register forms in a fused loop (7, 32) and its span kernels (128): every parameter gradient and the initial-state
/// gradient against central differences, in double.
/// </summary>
public class PrimitiveSizeGradientTests(ITestOutputHelper output)
{
    /// <summary>As OperatorGradientTests: central differences agree with exact gradients to about 1e-9.</summary>
    private const double Tolerance = 1e-6;

    public static TheoryData<IUnrolledCell<double>> Cells => new()
    {
        { new SqrtH7F64() },
        { new SqrtH32F64() },
        { new SqrtH128F64() },
        { new LogH7F64() },
        { new LogH32F64() },
        { new LogH128F64() },
        { new EluH7F64() },
        { new EluH32F64() },
        { new EluH128F64() },
        { new AbsH7F64() },
        { new AbsH32F64() },
        { new AbsH128F64() },
        { new SquareH7F64() },
        { new SquareH32F64() },
        { new SquareH128F64() },
        { new SinH7F64() },
        { new SinH32F64() },
        { new SinH128F64() },
        { new CosH7F64() },
        { new CosH32F64() },
        { new CosH128F64() },
        { new SiluH7F64() },
        { new SiluH32F64() },
        { new SiluH128F64() },
        { new GeluH7F64() },
        { new GeluH32F64() },
        { new GeluH128F64() },
        { new LogSigmoidH7F64() },
        { new LogSigmoidH32F64() },
        { new LogSigmoidH128F64() },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Gradients_match_finite_differences_in_fused_loops_and_kernel_calls(IUnrolledCell<double> cell)
    {
        // Weights of scale 1 / √H (spectral radius about 1 / √3) keep the states O(1) at every size: with the usual
        // 0.5, sums of 128 terms make the states and the loss so large that the central difference's round-off
        // (|L| eps / e) reached 2.3e-6 of a small derivative at H = 128, a failure of the check, not of the gradient.
        var result = GradientCheck.Run(cell, seed: 7, parameterScale: Math.Min(0.5, 1 / Math.Sqrt(cell.StateSize)));

        output.WriteLine($"{cell.GetType().Name}: {result}");
        Assert.Equal(cell.ParameterCount + cell.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < Tolerance, result.ToString());
    }
}
