using System;
using System.IO;
using System.Linq;
using System.Numerics;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Onnx;
using UnrolledRnn.Onnx.Proto;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// Every cell of docs/equations.md (DocsExamplesTests.DocsPage), as written (float) and in double, exported with the
/// description the generator emits, after a few training updates, and run in ONNX Runtime: 1,000 streamed steps of
/// the step model and a 256-step run of the sequence model (from the state the steps left) match the cell's Step;
/// the initializers are the checkpoint's tensors.
/// </summary>
public sealed class OnnxDocsExamplesTests
{
    /// <summary>float: both sides round every operation to 6e-8, in different orders and with different tanh and sigmoid.</summary>
    internal const double FloatTolerance = 1e-5;

    /// <summary>double: ONNX Runtime computes every operator of these cells in double.</summary>
    internal const double DoubleTolerance = 1e-12;

    private readonly ITestOutputHelper _output;

    public OnnxDocsExamplesTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Examples => DocsExamplesTests.Examples;

    [Theory]
    [MemberData(nameof(Examples))]
    public void Float_export_matches_Step_in_ONNX_Runtime(string cell) =>
        AssertMatches(Create<float>(DocsExamplesTests.DocsPage.Examples[cell], cell), FloatTolerance);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Double_export_matches_Step_in_ONNX_Runtime(string cell) =>
        AssertMatches(Create<double>(DocsExamplesTests.InDoublePrecision(DocsExamplesTests.DocsPage.Examples[cell]).Source, cell), DoubleTolerance);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Initializers_are_the_checkpoint_tensors(string cell)
    {
        var instance = Create<float>(DocsExamplesTests.DocsPage.Examples[cell], cell);
        using var directory = new TemporaryDirectory();
        Checkpoint.Save(instance, directory.File("cell.safetensors"));
        var checkpoint = SafeTensorsFile.Read(directory.File("cell.safetensors"));
        foreach (string path in instance.ExportOnnx(directory.File("cell"), OnnxExport.Step | OnnxExport.Sequence))
        {
            var initializers = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Initializer;
            Assert.Equal(checkpoint.Tensors.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal),
                initializers.Select(i => i.Name).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var initializer in initializers)
            {
                var tensor = checkpoint.GetTensor(initializer.Name);
                Assert.Equal(tensor.Shape, initializer.Dims);
                Assert.True(checkpoint.GetBytes(tensor).SequenceEqual(initializer.RawData.Span), $"{cell} {path}: '{initializer.Name}' holds other values than the checkpoint");
            }
        }
    }

    /// <summary>The example <paramref name="cell"/> compiled from <paramref name="source"/>, trained a few updates.</summary>
    internal static IUnrolledCell<T> Create<T>(string source, string cell)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TrainedCells.Trained<IUnrolledCell<T>, T>(GeneratorHarness.CreateCell<T>(source, "Examples." + cell));

    private void AssertMatches<T>(IUnrolledCell<T> cell, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var directory = new TemporaryDirectory();
        var paths = cell.ExportOnnx(directory.File("cell.onnx"), OnnxExport.Step | OnnxExport.Sequence);
        var graph = ((IOnnxExportable)cell).OnnxStepGraph;
        double step = OrtReferee.CompareSteps(cell, graph, paths[0], 1000, tolerance, seed: 1);
        double sequence = OrtReferee.CompareSequence(cell, graph, paths[1], 256, tolerance, seed: 2);
        _output.WriteLine($"{cell.GetType().Name} ({typeof(T).Name}): largest relative difference to Step: step model {step:E2} (1,000 steps), " +
                          $"sequence model {sequence:E2} (256 steps); tolerance {tolerance:E0}");
    }
}
