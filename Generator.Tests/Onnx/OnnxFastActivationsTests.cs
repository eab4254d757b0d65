using System.Numerics;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// A FastActivations cell exports the exact tanh and sigmoid: its model matches the Step of its accurate twin (the same
/// equations and parameters without FastActivations) within round-off, and differs from its own Step by the
/// approximation's error. The cell is equations.md's LSTM.
/// </summary>
public sealed class OnnxFastActivationsTests
{
    /// <summary>
    /// How far, relative, 1,000 steps of the fast LSTM's own Step may drift from the exact functions: the approximations
    /// are within 2.6e-7 (tanh) and 1.5e-7 (sigmoid) per call, carried through the recurrence.
    /// </summary>
    private const double FastStepBound = 1e-5;

    private readonly ITestOutputHelper _output;

    public OnnxFastActivationsTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Float_export_matches_the_accurate_twin_and_the_fast_Step_within_the_approximation() =>
        AssertExact<float>(Lstm(fast: true), Lstm(fast: false), OnnxDocsExamplesTests.FloatTolerance);

    [Fact]
    public void Double_export_matches_the_accurate_twin_to_round_off_and_not_the_fast_Step()
    {
        string fast = DocsExamplesTests.InDoublePrecision(Lstm(fast: true)).Source;
        string accurate = DocsExamplesTests.InDoublePrecision(Lstm(fast: false)).Source;
        double fastDifference = AssertExact<double>(fast, accurate, OnnxDocsExamplesTests.DoubleTolerance);
        // The export is not the fast functions: in double, round-off alone would be far below the approximation's error.
        Assert.True(fastDifference > 1e-9, $"the fast Step differs from the export by only {fastDifference:E2}: the export may compute the approximations");
    }

    /// <summary>
    /// Exports the fast cell, compares its model with the accurate twin's Step (within <paramref name="tolerance"/>) and with
    /// its own Step (within <see cref="FastStepBound"/>); returns the latter difference.
    /// </summary>
    private double AssertExact<T>(string fastSource, string accurateSource, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var fast = OnnxDocsExamplesTests.Create<T>(fastSource, "Lstm");
        var accurate = GeneratorHarness.CreateCell<T>(accurateSource, "Examples.Lstm");
        fast.Parameters.CopyTo(accurate.Parameters);
        using var directory = new TemporaryDirectory();
        var paths = fast.ExportOnnx(directory.File("fast.onnx"), OnnxExport.Step | OnnxExport.Sequence);
        var graph = ((IOnnxExportable)fast).OnnxStepGraph;

        double twinStep = OrtReferee.CompareSteps(accurate, graph, paths[0], 1000, tolerance, seed: 1);
        double twinSequence = OrtReferee.CompareSequence(accurate, graph, paths[1], 256, tolerance, seed: 2);
        double fastStep = OrtReferee.CompareSteps(fast, graph, paths[0], 1000, FastStepBound, seed: 1);
        _output.WriteLine($"{typeof(T).Name}: export vs accurate twin's Step {twinStep:E2} (1,000 steps), {twinSequence:E2} (sequence, 256 steps); " +
                          $"export vs the fast cell's own Step {fastStep:E2} (1,000 steps, bound {FastStepBound:E0})");
        return fastStep;
    }

    /// <summary>equations.md's LSTM, with or without FastActivations.</summary>
    private static string Lstm(bool fast)
    {
        string source = DocsExamplesTests.DocsPage.Examples["Lstm"];
        Assert.Contains("[UnrolledCell(6)]", source);
        return fast ? source.Replace("[UnrolledCell(6)]", "[UnrolledCell(6, FastActivations = true)]") : source;
    }
}
