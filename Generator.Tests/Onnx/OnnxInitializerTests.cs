using System;
using System.IO;
using System.Linq;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Onnx;
using UnrolledRnn.Onnx.Proto;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>The exported models' initializers are the checkpoint's tensors: same names, shapes, element type and bytes.</summary>
public sealed class OnnxInitializerTests
{
    [Fact]
    public void Initializers_equal_the_checkpoint_tensors_under_PyTorch_names() =>
        AssertInitializersEqualCheckpoint(CheckpointNames.PyTorch, new[] { "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias" });

    [Fact]
    public void Initializers_follow_the_names_given_to_the_export() =>
        AssertInitializersEqualCheckpoint(CheckpointNames.Verbatim, new[] { "W_ih", "W_hh", "b_ih", "b_hh", "W_out", "b_out" });

    private static void AssertInitializersEqualCheckpoint(CheckpointNames names, string[] expectedNames)
    {
        var cell = TrainedCells.Trained<TorchLstmLargeF64, double>(new());
        using var directory = new TemporaryDirectory();
        Checkpoint.Save(cell, directory.File("cell.safetensors"), names);
        var checkpoint = SafeTensorsFile.Read(directory.File("cell.safetensors"));
        var paths = cell.ExportOnnx(directory.File("cell"), OnnxExport.Step | OnnxExport.Sequence, names);

        foreach (string path in paths)
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            var initializers = model.Graph.Initializer;
            Assert.Equal(expectedNames, initializers.Select(i => i.Name));
            Assert.Equal(checkpoint.Tensors.Select(t => t.Name).OrderBy(n => n), initializers.Select(i => i.Name).OrderBy(n => n));
            foreach (var initializer in initializers)
            {
                var tensor = checkpoint.GetTensor(initializer.Name);
                Assert.Equal(tensor.Shape, initializer.Dims);
                Assert.Equal((int)TensorProto.Types.DataType.Double, initializer.DataType);
                Assert.True(checkpoint.GetBytes(tensor).SequenceEqual(initializer.RawData.Span), $"{path}: initializer '{initializer.Name}' holds other values than the checkpoint");
            }

            // The step nodes read the parameters under those names too: no node reads a cell name any more.
            var body = model.Graph.Node[0].OpType == "Scan" ? model.Graph.Node[0].Attribute.Single(a => a.Name == "body").G : model.Graph;
            Assert.Contains(body.Node, n => n.Input.Contains(expectedNames[0]));
            Assert.DoesNotContain(body.Node, n => names != CheckpointNames.Verbatim && n.Input.Contains("W_ih"));
        }
    }
}
