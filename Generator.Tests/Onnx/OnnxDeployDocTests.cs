using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// docs/deploy.md's two C# blocks: the description the generator emits for equations.md's ElmanTanh, checked against
/// the generated source and exported and run in ONNX Runtime; the loading snippet, run verbatim on an exported LSTM.
/// </summary>
public sealed class OnnxDeployDocTests
{
    private const string SnippetStart = "// docs/deploy.md, from here";
    private const string SnippetEnd = "// docs/deploy.md, to here";

    [Fact]
    public void The_CSharp_snippet_runs_one_step_that_matches_Step()
    {
        var cell = TrainedCells.Trained<TorchLstmLargeF32, float>(new());
        using var directory = new TemporaryDirectory();
        string stepModelPath = cell.ExportOnnx(directory.File("lstm.onnx"), OnnxExport.Step)[0];

        // docs/deploy.md, from here
        using var session = new InferenceSession(stepModelPath);
        var h = new float[32];
        var c = new float[32];
        var x = new float[16];   // x_t
        using var runOptions = new RunOptions();
        using var hValue = OrtValue.CreateTensorValueFromMemory(h, new long[] { 1, 32 });
        using var cValue = OrtValue.CreateTensorValueFromMemory(c, new long[] { 1, 32 });
        using var xValue = OrtValue.CreateTensorValueFromMemory(x, new long[] { 1, 16 });
        using var results = session.Run(runOptions,
            new[] { "h_prev", "c_prev", "x" }, new[] { hValue, cValue, xValue }, new[] { "h", "c", "y" });
        results.ElementAt(0).GetTensorDataAsSpan<float>().CopyTo(h);   // the new state, for the next step
        results.ElementAt(1).GetTensorDataAsSpan<float>().CopyTo(c);
        float[] y = results.ElementAt(2).GetTensorDataAsSpan<float>().ToArray();
        // docs/deploy.md, to here

        var expected = new float[TorchLstmLargeF32.OutputSize];
        cell.Step(x, expected);
        double scale = expected.Max(v => Math.Abs(v));
        Assert.True(scale > 0, "the cell's y is all zero: nothing was compared");
        Assert.All(y.Zip(expected), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-5 * scale, $"ONNX Runtime {pair.First}, Step {pair.Second}"));
        Assert.Equal(cell.State_h.ToArray(), h, (a, b) => Math.Abs(a - b) <= 1e-5);
        Assert.Equal(cell.State_c.ToArray(), c, (a, b) => Math.Abs(a - b) <= 1e-5);
    }

    [Fact]
    public void The_loading_snippet_in_the_docs_is_the_one_this_class_runs()
    {
        string documented = DocsFiles.CSharpBlocks(DocsFiles.Read("deploy.md"))[1];
        Assert.Equal(documented, RunSnippet());
    }

    [Fact]
    public void The_documented_description_of_ElmanTanh_is_what_the_generator_emits_and_exports_a_model_that_matches_Step()
    {
        string cellSource = DocsFiles.CSharpBlocks(DocsFiles.Read("equations.md"))[0];
        string documented = DocsFiles.CSharpBlocks(DocsFiles.Read("deploy.md"))[0];
        Assert.Contains("public partial class ElmanTanh", cellSource);
        string generated = Assert.Single(GeneratorHarness.Run(cellSource).GeneratedSources).Value;
        Assert.Contains(Unindented(documented), Unindented(generated));

        var cell = (IUnrolledCell<float>)Activator.CreateInstance(GeneratorHarness.CompileAndLoad(cellSource).GetType("Examples.ElmanTanh")!)!;
        cell.InitializeParameters(5);
        var graph = ((IOnnxExportable)cell).OnnxStepGraph;
        using var directory = new TemporaryDirectory();
        var paths = cell.ExportOnnx(directory.File("elman.onnx"), OnnxExport.Step | OnnxExport.Sequence);
        OrtReferee.CompareSteps(cell, graph, paths[0], 100, 1e-5, seed: 3);
        OrtReferee.CompareSequence(cell, graph, paths[1], 100, 1e-5, seed: 4);
    }

    private static string Unindented(string text) => string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()));

    /// <summary>The lines between the markers of this file, unindented.</summary>
    private static string RunSnippet([CallerFilePath] string path = "")
    {
        var lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
        int start = Array.FindIndex(lines, l => l.Trim() == SnippetStart) + 1;
        int end = Array.FindIndex(lines, l => l.Trim() == SnippetEnd);
        Assert.True(start > 0 && end > start, "the snippet markers are missing");
        int indent = lines[start].Length - lines[start].TrimStart().Length;
        return string.Concat(lines[start..end].Select(l => (l.Length >= indent ? l[indent..] : l.TrimStart()) + "\n"));
    }
}
