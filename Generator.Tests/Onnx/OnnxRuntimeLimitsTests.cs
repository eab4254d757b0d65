using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// What ONNX Runtime 1.31.1's CPU kernels lack, as docs/deploy.md says: Softplus and Elu in double. Should a release
/// add one, its test fails, and the page's note is to go. The same equations in float load and match Step.
/// </summary>
public sealed class OnnxRuntimeLimitsTests
{
    /// <summary>OperatorCells.cs's OpSoftplus or OpElu in float: the function of a fused sum and of a product.</summary>
    private static string FloatCell(string function) => $$"""
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Examples;

        [UnrolledCell(5)]
        public partial class FloatCell
        {
            static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
                [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
            {
                h = {{function}}(W_hh * h + W_ih * x + b);
                y = {{function}}(W_out * h);
            }
        }
        """;

    [Fact]
    public void Softplus_has_no_double_kernel_and_the_refusal_names_the_node() =>
        AssertRefusedInDouble(TrainedCells.Trained<OpSoftplus, double>(new()), "Softplus(1)");

    [Fact]
    public void Elu_has_no_double_kernel_and_the_refusal_names_the_node() =>
        AssertRefusedInDouble(TrainedCells.Trained<OpElu, double>(new()), "Elu(6)");

    [Theory]
    [InlineData("softplus")]
    [InlineData("elu")]
    public void In_float_it_matches_Step(string function)
    {
        var cell = TrainedCells.Trained<IUnrolledCell<float>, float>(GeneratorHarness.CreateCell<float>(FloatCell(function), "Examples.FloatCell"));
        using var directory = new TemporaryDirectory();
        var paths = cell.ExportOnnx(directory.File("float"), OnnxExport.Step | OnnxExport.Sequence);
        var graph = ((IOnnxExportable)cell).OnnxStepGraph;
        OrtReferee.CompareSteps(cell, graph, paths[0], 1000, OnnxDocsExamplesTests.FloatTolerance, seed: 1);
        OrtReferee.CompareSequence(cell, graph, paths[1], 256, OnnxDocsExamplesTests.FloatTolerance, seed: 2);
    }

    private static void AssertRefusedInDouble(IUnrolledCell<double> cell, string operatorAndVersion)
    {
        using var directory = new TemporaryDirectory();
        var doublePaths = cell.ExportOnnx(directory.File("double"), OnnxExport.Step | OnnxExport.Sequence);
        foreach (string path in doublePaths)
        {
            var refusal = Assert.Throws<XunitException>(() => OrtReferee.Load(path));
            Assert.Contains($"Could not find an implementation for {operatorAndVersion} node with name 'h'", refusal.Message);
        }
    }
}
