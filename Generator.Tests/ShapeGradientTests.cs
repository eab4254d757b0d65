using System;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Finite-difference checks of the shape constructs of the cell language (division, ...; Cells/ShapeCells.cs) at sizes
/// that take every register width of the fused loops and the span kernels: every parameter gradient and the
/// initial-state gradient against central differences, in double.
/// </summary>
public class ShapeGradientTests(ITestOutputHelper output)
{
    /// <summary>As OperatorGradientTests: central differences agree with exact gradients to about 1e-9.</summary>
    private const double Tolerance = 1e-6;

    public static TheoryData<IUnrolledCell<double>> Cells => new()
    {
        { new DivideH1F64() },
        { new DivideH7F64() },
        { new DivideH16F64() },
        { new DivideH17F64() },
        { new DivideH31F64() },
        { new DivideH32F64() },
        { new DivideH33F64() },
        { new DivideH64F64() },
        { new BroadcastH1F64() },
        { new BroadcastH7F64() },
        { new BroadcastH16F64() },
        { new BroadcastH17F64() },
        { new BroadcastH31F64() },
        { new BroadcastH32F64() },
        { new BroadcastH33F64() },
        { new BroadcastH64F64() },
        { new ExtremumH1F64() },
        { new ExtremumH7F64() },
        { new ExtremumH16F64() },
        { new ExtremumH17F64() },
        { new ExtremumH31F64() },
        { new ExtremumH32F64() },
        { new ExtremumH33F64() },
        { new ExtremumH64F64() },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Gradients_match_finite_differences(IUnrolledCell<double> cell)
    {
        // Weights of scale 1 / √H keep the states O(1) at every size (PrimitiveSizeGradientTests).
        var result = GradientCheck.Run(cell, seed: 7, parameterScale: Math.Min(0.5, 1 / Math.Sqrt(cell.StateSize)));

        output.WriteLine($"{cell.GetType().Name}: {result}");
        Assert.Equal(cell.ParameterCount + cell.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < Tolerance, result.ToString());
    }
}
