using System.Linq;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;
using Xunit.Sdk;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// The referee's failures point at a node: a model that ONNX Runtime refuses fails with ONNX Runtime's reason,
/// which names the node; a description that computes something else than the cell fails naming, of the outputs and
/// states that differ, the one computed first, and its node.
/// </summary>
public sealed class OnnxRefereeFailureTests
{
    [Fact]
    public void A_model_ONNX_Runtime_refuses_fails_naming_the_node()
    {
        var cell = TrainedCells.Trained<TorchLstmLargeF32, float>(new());
        // x [1, In] times W_hh [4H, H] transposed: the shapes do not fit, which the exporter does not check and ONNX Runtime does.
        var good = cell.OnnxStepGraph;
        var broken = good with { Nodes = good.Nodes.Select(n => n.Name == "W_hh_h_b_hh" ? n with { Inputs = new[] { "x", "W_hh", "b_hh" } } : n).ToArray() };
        using var directory = new TemporaryDirectory();
        var paths = OnnxExportExtensions.Export(cell, broken, directory.File("broken"), OnnxExport.Step);

        var failure = Assert.Throws<XunitException>(() => OrtReferee.Load(paths[0]));
        Assert.Contains("refuses", failure.Message);
        Assert.Contains("W_hh_h_b_hh", failure.Message);
    }

    [Fact]
    public void A_mismatch_fails_naming_the_output_and_its_node()
    {
        var cell = TrainedCells.Trained<TorchLstmLargeF32, float>(new());
        // The cell candidate through a sigmoid instead of tanh: a valid model that computes another cell.
        var wrong = cell.OnnxStepGraph with { Nodes = cell.OnnxStepGraph.Nodes.Select(n => n.Name == "g" ? n with { OpType = "Sigmoid" } : n).ToArray() };
        using var directory = new TemporaryDirectory();
        var paths = OnnxExportExtensions.Export(cell, wrong, directory.File("wrong"), OnnxExport.Step | OnnxExport.Sequence);

        var step = Assert.Throws<XunitException>(() => OrtReferee.CompareSteps(cell, wrong, paths[0], 10, 1e-5, seed: 1));
        // c, h and y all differ; c is computed first, from the wrong candidate.
        Assert.Contains("step model's 'c' (node 'c', Add) differs from Step", step.Message);
        var sequence = Assert.Throws<XunitException>(() => OrtReferee.CompareSequence(cell, wrong, paths[1], 10, 1e-5, seed: 2));
        Assert.Contains("sequence model's 'c' (node 'c', Add) differs from Step", sequence.Message);
    }
}
