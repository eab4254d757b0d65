using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using UnrolledRnn.Onnx;
using UnrolledRnn.Onnx.Proto;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// The names the export writes: identifiers, as the ONNX IR asks (other tools refuse names with spaces or operators),
/// unique, each node documented with the text it computes; and clear of the sequence model's own names, which a
/// Scan body may not shadow.
/// </summary>
public sealed class OnnxNamesTests
{
    private static readonly Regex s_identifier = new("^[A-Za-z_][A-Za-z0-9_]*$");

    public static TheoryData<string> Examples => DocsExamplesTests.Examples;

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_value_and_node_of_a_docs_cell_has_an_identifier_name_and_a_doc_string(string cell)
    {
        var instance = OnnxDocsExamplesTests.Create<float>(DocsExamplesTests.DocsPage.Examples[cell], cell);
        using var directory = new TemporaryDirectory();
        foreach (string path in instance.ExportOnnx(directory.File("cell"), OnnxExport.Step | OnnxExport.Sequence))
        {
            var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph;
            var step = graph.Node.SingleOrDefault(n => n.OpType == "Scan")?.Attribute.Single(a => a.Name == "body").G ?? graph;
            var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
            var names = step.Input.Select(v => v.Name).Concat(step.Output.Select(v => v.Name))
                .Concat(step.Node.SelectMany(n => n.Input.Concat(n.Output).Append(n.Name)))
                .Concat(graph.Input.Concat(graph.Output).Select(v => v.Name))
                .Where(n => !initializers.Contains(n)).ToList();
            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.Matches(s_identifier, name));
            Assert.Equal(step.Node.Count, step.Node.Select(n => n.Name).Distinct().Count());
            Assert.All(step.Node, node => Assert.False(string.IsNullOrEmpty(node.DocString), $"{cell}: node '{node.Name}' has no doc string"));
        }
    }

    [Fact]
    public void A_local_named_like_a_name_of_the_sequence_model_is_renamed_and_both_models_match_Step()
    {
        const string source = """
            using UnrolledRnn;
            using static UnrolledRnn.CellMath;
            namespace Names;
            [UnrolledCell(4)]
            public partial class Shadowing
            {
                static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
                    [Parameter(4, 3)] Mat W_ih, [Parameter(4, 4)] Mat W_hh, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
                {
                    var x_sequence = W_ih * x + b;
                    var initial_h_prev = tanh(x_sequence + W_hh * h);
                    var final_h = sigmoid(initial_h_prev);
                    var h_prev = final_h * initial_h_prev;
                    h = h_prev;
                    y = W_out * h;
                }
            }
            """;
        var cell = TrainedCells.Trained<IUnrolledCell<float>, float>(GeneratorHarness.CreateCell<float>(source, "Names.Shadowing"));
        var graph = ((IOnnxExportable)cell).OnnxStepGraph;
        // The step's interface keeps its names; the locals give way.
        Assert.Equal("h_prev", graph.States[0].Previous);
        var produced = graph.Nodes.SelectMany(n => n.Outputs).ToList();
        Assert.Contains("x_sequence_2", produced);
        Assert.Contains("initial_h_prev_2", produced);
        Assert.Contains("final_h_2", produced);
        Assert.Contains("h_prev_2", produced);
        Assert.DoesNotContain("x_sequence", produced);

        using var directory = new TemporaryDirectory();
        var paths = cell.ExportOnnx(directory.File("shadowing"), OnnxExport.Step | OnnxExport.Sequence);
        OrtReferee.CompareSteps(cell, graph, paths[0], 100, OnnxDocsExamplesTests.FloatTolerance, seed: 1);
        OrtReferee.CompareSequence(cell, graph, paths[1], 100, OnnxDocsExamplesTests.FloatTolerance, seed: 2);
    }

    [Fact]
    public void Vector_names_that_would_shadow_a_name_of_the_sequence_model_are_refused_naming_it()
    {
        const string source = """
            using UnrolledRnn;
            using static UnrolledRnn.CellMath;
            namespace Names;
            [UnrolledCell(4)]
            public partial class TwoInputs
            {
                static void Equations([Input(2)] Vec a, [Input(2)] Vec a_sequence, [State(2)] Vec h, [Output(2)] Vec y,
                    [Parameter(2, 2)] Mat W, [Parameter(2, 2)] Mat U)
                {
                    h = tanh(W * a + U * a_sequence + h);
                    y = h;
                }
            }
            """;
        var cell = GeneratorHarness.CreateCell<float>(source, "Names.TwoInputs");
        using var directory = new TemporaryDirectory();
        Assert.Single(cell.ExportOnnx(directory.File("step-only"), OnnxExport.Step));
        var error = Assert.Throws<ArgumentException>(() => cell.ExportOnnx(directory.File("both"), OnnxExport.Step | OnnxExport.Sequence));
        Assert.Contains("The sequence model's value 'a_sequence' has the name of a value of the step", error.Message);
        Assert.False(File.Exists(directory.File("both.step.onnx")), "a model was written although the export was refused");
    }
}
