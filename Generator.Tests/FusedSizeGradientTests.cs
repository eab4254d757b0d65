using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Finite-difference checks of the Elman, LSTM and GRU at hidden sizes that take every path through the fused loops
/// of their forward and backward steps (FusedSizeCells: 1, 7, 16, 17, 31, 32, 33, 64): every parameter gradient and
/// the initial-state gradient against central differences, in double.
/// </summary>
public class FusedSizeGradientTests(ITestOutputHelper output)
{
    /// <summary>As OperatorGradientTests: central differences agree with exact gradients to about 1e-9.</summary>
    private const double Tolerance = 1e-6;

    public static TheoryData<IUnrolledCell<double>> Cells => new()
    {
        { new FusedElmanH1F64() },
        { new FusedElmanH7F64() },
        { new FusedElmanH16F64() },
        { new FusedElmanH17F64() },
        { new FusedElmanH31F64() },
        { new FusedElmanH32F64() },
        { new FusedElmanH33F64() },
        { new FusedElmanH64F64() },
        { new FusedLstmH1F64() },
        { new FusedLstmH7F64() },
        { new FusedLstmH16F64() },
        { new FusedLstmH17F64() },
        { new FusedLstmH31F64() },
        { new FusedLstmH32F64() },
        { new FusedLstmH33F64() },
        { new FusedLstmH64F64() },
        { new FusedGruH1F64() },
        { new FusedGruH7F64() },
        { new FusedGruH16F64() },
        { new FusedGruH17F64() },
        { new FusedGruH31F64() },
        { new FusedGruH32F64() },
        { new FusedGruH33F64() },
        { new FusedGruH64F64() },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Gradients_match_finite_differences_at_every_fused_width(IUnrolledCell<double> cell)
    {
        var result = GradientCheck.Run(cell, seed: 7);

        output.WriteLine($"{cell.GetType().Name}: {result}");
        Assert.Equal(cell.ParameterCount + cell.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < Tolerance, result.ToString());
    }
}
