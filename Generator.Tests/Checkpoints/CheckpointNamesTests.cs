using System;
using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>The naming rule: PyTorch's names for the parameters of docs/equations.md, custom names verbatim, explicit names first.</summary>
public sealed class CheckpointNamesTests
{
    [Theory]
    [InlineData("W_ih", "rnn.weight_ih_l0")]
    [InlineData("W_hh", "rnn.weight_hh_l0")]
    [InlineData("b_ih", "rnn.bias_ih_l0")]
    [InlineData("b_hh", "rnn.bias_hh_l0")]
    [InlineData("W_out", "head.weight")]
    [InlineData("b_out", "head.bias")]
    [InlineData("W_ih1", "rnn.weight_ih_l0")]   // the docs' stacked cells: 1-based digits
    [InlineData("b_hh2", "rnn.bias_hh_l1")]
    [InlineData("W_hh12", "rnn.weight_hh_l11")]
    [InlineData("W_ih_l0", "rnn.weight_ih_l0")] // PyTorch's own 0-based suffix
    [InlineData("b_ih_l3", "rnn.bias_ih_l3")]
    [InlineData("W_ih0", "W_ih0")]              // no layer 0 in 1-based digits: a custom name
    [InlineData("W_ih01", "W_ih01")]
    [InlineData("W_ihx", "W_ihx")]
    [InlineData("W_ih_l", "W_ih_l")]
    [InlineData("b_h", "b_h")]                  // the docs' single-bias Elman (ReLU): custom
    [InlineData("w_ci", "w_ci")]                // peepholes
    [InlineData("U_f", "U_f")]                  // MGU
    [InlineData("W_u", "W_u")]
    [InlineData("w_out", "w_out")]              // case matters
    public void The_PyTorch_convention_maps_known_names_and_keeps_others(string cellName, string checkpointName) =>
        Assert.Equal(checkpointName, CheckpointNames.PyTorch.ToCheckpointName(cellName));

    [Fact]
    public void Module_names_prefix_the_convention_and_an_empty_module_name_gives_bare_names()
    {
        var names = CheckpointNames.ForPyTorchModules("lstm", "");
        Assert.Equal("lstm.weight_hh_l1", names.ToCheckpointName("W_hh2"));
        Assert.Equal("weight", names.ToCheckpointName("W_out"));
        Assert.Equal("bias", names.ToCheckpointName("b_out"));
        Assert.Equal("w_ci", names.ToCheckpointName("w_ci"));
    }

    [Fact]
    public void Verbatim_keeps_every_cell_name()
    {
        foreach (var name in new[] { "W_ih", "b_hh2", "W_out", "w_ci" })
        {
            Assert.Equal(name, CheckpointNames.Verbatim.ToCheckpointName(name));
        }
    }

    [Fact]
    public void Explicit_names_come_first_and_the_rest_follow_the_convention()
    {
        var names = CheckpointNames.PyTorch.WithNames(new Dictionary<string, string> { ["b_h"] = "rnn.bias_ih_l0", ["W_out"] = "decoder.weight" });
        Assert.Equal("rnn.bias_ih_l0", names.ToCheckpointName("b_h"));
        Assert.Equal("decoder.weight", names.ToCheckpointName("W_out"));
        Assert.Equal("head.bias", names.ToCheckpointName("b_out"));
        Assert.Equal("W_u", names.ToCheckpointName("W_u"));
        Assert.Equal("W_ih", CheckpointNames.Verbatim.WithNames(new Dictionary<string, string> { ["W_hh"] = "U" }).ToCheckpointName("W_ih"));
    }

    [Fact]
    public void A_two_layer_cell_gets_the_names_of_a_two_layer_PyTorch_module()
    {
        // The parameters of the docs' StackedLstm, and nn.LSTM(num_layers=2).state_dict() plus an nn.Linear head.
        string[] cell = { "W_ih1", "W_hh1", "b_ih1", "b_hh1", "W_ih2", "W_hh2", "b_ih2", "b_hh2", "W_out", "b_out" };
        string[] torch =
        {
            "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "head.weight", "head.bias",
        };
        Assert.Equal(torch, cell.Select(CheckpointNames.PyTorch.ToCheckpointName));
    }

    [Fact]
    public void A_cell_with_custom_names_mixes_the_convention_and_its_own_names()
    {
        var cell = new OpMatVec(); // W_hh, W_ih, W_u, W_out
        Assert.Equal(new[] { "rnn.weight_hh_l0", "rnn.weight_ih_l0", "W_u", "head.weight" },
            CheckpointNames.PyTorch.ToCheckpointNames(cell.ParameterTensors));
    }

    [Fact]
    public void Two_parameters_mapped_to_one_name_are_refused_naming_both()
    {
        var names = CheckpointNames.PyTorch.WithNames(new Dictionary<string, string> { ["W_u"] = "rnn.weight_hh_l0" });
        var exception = Assert.Throws<ArgumentException>(() => names.ToCheckpointNames(new OpMatVec().ParameterTensors));
        CheckpointAssert.MessageSays(exception, "'W_hh'", "'W_u'", "'rnn.weight_hh_l0'");
    }
}
