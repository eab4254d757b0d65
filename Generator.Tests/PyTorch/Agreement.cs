using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.PyTorch;

/// <summary>
/// Collects per-quantity differences between the generated cell and PyTorch, prints them as a table and asserts
/// them. The difference of a quantity (a tensor) is max_i |a_i - b_i| / max_i |b_i|, b being PyTorch's value: the
/// worst error relative to the quantity's scale.
/// </summary>
public sealed class Agreement
{
    private readonly List<(string Quantity, bool IsGradient, double Difference, double Scale)> _rows = new();

    public void Add(string quantity, bool isGradient, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference = double.IsNaN(actual[i]) ? double.PositiveInfinity : Math.Max(difference, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }

        _rows.Add((quantity, isGradient, scale == 0 ? double.PositiveInfinity : difference / scale, scale));
    }

    /// <summary>The worst difference among the outputs and final state (forward) or the gradients (backward).</summary>
    public double Worst(bool gradients) => _rows.Where(r => r.IsGradient == gradients).Max(r => r.Difference);

    public void PrintAndAssert(ITestOutputHelper output, string title, double tolerance)
    {
        output.WriteLine(title);
        output.WriteLine($"{"quantity",-28} {"difference",11} {"max |PyTorch|",14}");
        foreach (var (quantity, _, difference, scale) in _rows)
        {
            output.WriteLine($"{quantity,-28} {difference,11:E2} {scale,14:G4}");
        }

        output.WriteLine($"max difference: outputs and state {Worst(gradients: false):E2}, gradients {Worst(gradients: true):E2} (tolerance {tolerance:E0})");
        foreach (var (quantity, _, difference, scale) in _rows)
        {
            Assert.True(scale > 0, $"PyTorch's {quantity} is all zero: nothing was compared.");
            Assert.True(difference <= tolerance, $"{quantity}: relative difference {difference:E2} exceeds {tolerance:E0}.");
        }
    }
}
