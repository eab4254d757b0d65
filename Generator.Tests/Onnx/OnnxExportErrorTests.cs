using System;
using System.IO;
using System.Linq;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// What the export refuses, before it writes anything: paths it cannot write (named), descriptions that do not
/// fit the cell or use what the exporter cannot write (the node or value named), cells without a description.
/// No failure leaves a file behind.
/// </summary>
public sealed class OnnxExportErrorTests
{
    /// <summary>The generated description of an LSTM, which the tests below break one way each.</summary>
    private static readonly OnnxStepGraph s_lstm = new TorchLstmLargeF32().OnnxStepGraph;

    [Fact]
    public void A_missing_folder_is_named_and_nothing_is_written()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "missing", "cell.onnx");
        var error = Assert.Throws<DirectoryNotFoundException>(() => new TorchLstmLargeF32().ExportOnnx(path, OnnxExport.Step));
        Assert.Contains(Path.Combine(directory.Path, "missing", "cell.step.onnx"), error.Message);
        Assert.Contains("does not exist", error.Message);
        Assert.Empty(directory.FileNames());
    }

    [Fact]
    public void A_directory_in_the_way_is_named_and_no_temporary_file_is_left()
    {
        using var directory = new TemporaryDirectory();
        Directory.CreateDirectory(directory.File("cell.sequence.onnx"));
        var cell = TrainedCells.Trained<TorchLstmLargeF32, float>(new());
        var error = Assert.Throws<IOException>(() => cell.ExportOnnx(directory.File("cell.onnx"), OnnxExport.Step | OnnxExport.Sequence));
        Assert.Contains(directory.File("cell.sequence.onnx"), error.Message);
        Assert.Contains("is a directory", error.Message);
        Assert.EndsWith(": it is a directory, not a file.", error.Message);
        // The step model, written first, is complete; the sequence model is not there; no temporary file is.
        Assert.Equal(new[] { "cell.sequence.onnx", "cell.step.onnx" }, directory.FileNames());
        OrtReferee.Load(directory.File("cell.step.onnx")).Dispose();
    }

    [Fact]
    public void Selecting_no_model_is_refused()
    {
        using var directory = new TemporaryDirectory();
        var error = Assert.Throws<ArgumentException>(() => new TorchLstmLargeF32().ExportOnnx(directory.File("cell"), (OnnxExport)0));
        Assert.Contains("got 0", error.Message);
        Assert.Empty(directory.FileNames());
    }

    [Fact]
    public void A_cell_without_a_step_graph_says_so()
    {
        var error = Assert.Throws<NotSupportedException>(() => new WrappedCell(new TorchRnnReluLargeF32()).ExportOnnx("relu.onnx", OnnxExport.Step));
        Assert.Contains("WrappedCell does not describe its step as an ONNX graph", error.Message);
    }

    [Fact]
    public void An_operator_the_exporter_does_not_write_is_named_with_its_node()
    {
        var graph = s_lstm with { Nodes = s_lstm.Nodes.Select(n => n.Name == "g" ? new OnnxNode("g", "HardSwish", "g", n.Inputs.ToArray()) : n).ToArray() };
        var error = AssertRefused<NotSupportedException>(graph);
        Assert.Contains("Node 'g': the operator 'HardSwish' is not one the ONNX exporter writes at opset 17", error.Message);
    }

    [Fact]
    public void A_value_read_before_it_is_assigned_is_named_with_its_node()
    {
        // "c" (c_t) read where "c_prev" (c_{t-1}) is meant: c is assigned only later.
        var graph = s_lstm with { Nodes = s_lstm.Nodes.Select(n => n.Name == "f_c" ? new OnnxNode("f_c", "Mul", "f_c", "f", "c") : n).ToArray() };
        var error = AssertRefused<ArgumentException>(graph);
        Assert.Contains("Node 'f_c' (Mul) reads 'c', which no input, state, parameter or earlier node provides", error.Message);
    }

    [Fact]
    public void A_value_assigned_twice_is_named()
    {
        var graph = s_lstm with { Nodes = s_lstm.Nodes.Append(new OnnxNode("y again", "Identity", "y", "h")).ToArray() };
        var error = AssertRefused<ArgumentException>(graph);
        Assert.Contains("The name 'y' is given both by node 'y' and by node 'y again'", error.Message);
    }

    [Fact]
    public void A_node_output_under_a_parameters_checkpoint_name_is_refused()
    {
        var graph = s_lstm with { Nodes = s_lstm.Nodes.Select(n => n.Name == "gates" ? n with { Outputs = new[] { "rnn.bias_hh_l0" } } : n).ToArray() };
        var error = AssertRefused<ArgumentException>(graph);
        Assert.Contains("'rnn.bias_hh_l0' is given both by the checkpoint name of the parameter 'b_hh' and by node 'gates'", error.Message);
    }

    [Fact]
    public void A_wrong_number_of_inputs_is_named_with_its_node()
    {
        var graph = s_lstm with { Nodes = s_lstm.Nodes.Select(n => n.Name == "tanh_c" ? new OnnxNode("tanh_c", "Tanh", "tanh_c", "c", "c") : n).ToArray() };
        var error = AssertRefused<ArgumentException>(graph);
        Assert.Contains("Node 'tanh_c' (Tanh) has 2 inputs; Tanh takes 1", error.Message);
    }

    [Fact]
    public void The_description_of_another_cell_is_refused()
    {
        // The Elman cell of the same sizes: one state of 32 elements.
        var elman = new TorchRnnTanhLargeF32().OnnxStepGraph;
        var error = AssertRefused<ArgumentException>(elman);
        Assert.Contains("states add up to 32 elements, but the cell's StateSize is 64", error.Message);

        var renamed = s_lstm with { Parameters = new[] { "W_ih", "W_hh", "b_ih", "b_hh", "W_head", "b_out" } };
        error = AssertRefused<ArgumentException>(renamed);
        Assert.Contains("describes the parameters [W_ih, W_hh, b_ih, b_hh, W_head, b_out], but the cell TorchLstmLargeF32 has [W_ih, W_hh, b_ih, b_hh, W_out, b_out]", error.Message);
    }

    [Fact]
    public void A_size_below_one_is_named()
    {
        // Sizes that still add up to the cell's StateSize: [h: 64, c: 0].
        var graph = s_lstm with { States = new[] { new OnnxState("h_prev", "h", 64), new OnnxState("c_prev", "c", 0) } };
        var error = AssertRefused<ArgumentException>(graph);
        Assert.Contains("gives 'c' 0 elements", error.Message);
    }

    /// <summary>Exports <paramref name="graph"/> with an LSTM cell, both models, and requires the refusal and no file.</summary>
    private static TException AssertRefused<TException>(OnnxStepGraph graph)
        where TException : Exception
    {
        using var directory = new TemporaryDirectory();
        var error = Assert.Throws<TException>(() =>
            OnnxExportExtensions.Export(new TorchLstmLargeF32(), graph, directory.File("cell"), OnnxExport.Step | OnnxExport.Sequence));
        Assert.Empty(directory.FileNames());
        return error;
    }
}
