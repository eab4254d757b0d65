using System;
using System.Collections.Generic;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Finite-difference checks of the structural constructs of the cell language (Cells/StructCells.cs): every parameter
/// gradient and the initial-state gradient of a k2-step window against central differences, in double.
/// </summary>
public sealed class StructGradientTests(ITestOutputHelper output)
{
    /// <summary>As OperatorGradientTests: central differences agree with exact gradients to about 1e-10.</summary>
    private const double Tolerance = 1e-6;

    private static readonly Dictionary<string, Func<IUnrolledCell<double>>> s_cells = new()
    {
        ["W * h - W.T * h (antisymmetric RNN)"] = () => new AntisymmetricRnnF64(),
        ["W.T * input, state, stored value"] = () => new TransposedOperandsF64(),
        ["W * concat(x, h), concat(h[..2], g, h)"] = () => new ConcatRnnF64(),
    };

    public static TheoryData<string> Constructs => new(s_cells.Keys);

    [Theory]
    [MemberData(nameof(Constructs))]
    public void Gradient_matches_finite_differences(string construct)
    {
        var cell = s_cells[construct]();
        var result = GradientCheck.Run(cell);

        output.WriteLine($"{construct} ({cell.GetType().Name}, k2 = {cell.TruncationLength}): {result}");
        Assert.Equal(cell.ParameterCount + cell.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < Tolerance, $"{construct}: {result}");
    }
}
