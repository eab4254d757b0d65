using System;
using System.Collections.Generic;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Finite-difference checks of the fused layernorm(v, gain, bias, eps) (Cells/LayerNormCells.cs): every parameter
/// gradient and the initial-state gradient of a k2-step window against central differences, in double, at the sizes
/// 1, 7, 16, 17 and 33, and the layer-normalised LSTM.
/// </summary>
public sealed class LayerNormGradientTests(ITestOutputHelper output)
{
    /// <summary>As StructGradientTests: central differences agree with exact gradients to about 1e-10.</summary>
    private const double Tolerance = 1e-6;

    private static readonly Dictionary<string, Func<IUnrolledCell<double>>> s_cells = new()
    {
        ["n = 1 (y = bias)"] = () => new LayerNormRnn1F64(),
        ["n = 7, of a stored sum and of the input"] = () => new LayerNormRnn7F64(),
        ["n = 16"] = () => new LayerNormRnn16F64(),
        ["n = 17, of the previous state"] = () => new LayerNormRnn17F64(),
        ["n = 33, assigned to the state"] = () => new LayerNormRnn33F64(),
        ["layer-normalised LSTM"] = () => new LayerNormLstmF64(),
    };

    public static TheoryData<string> Cells => new(s_cells.Keys);

    [Theory]
    [MemberData(nameof(Cells))]
    public void Gradient_matches_finite_differences(string construct)
    {
        var cell = s_cells[construct]();
        var result = GradientCheck.Run(cell);

        output.WriteLine($"{construct} ({cell.GetType().Name}, k2 = {cell.TruncationLength}): {result}");
        Assert.Equal(cell.ParameterCount + cell.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < Tolerance, $"{construct}: {result}");
    }
}
