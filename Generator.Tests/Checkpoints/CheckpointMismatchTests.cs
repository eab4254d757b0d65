using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// Well-formed files that do not fit the cell: wrong shapes, wrong dtypes, missing and extra tensors. Each is
/// rejected with a message naming the tensor, the cell parameter and what was expected; the parameters stay
/// bit-identical.
/// </summary>
public sealed class CheckpointMismatchTests
{
    private static (TorchLstmSmallF32 Source, TorchLstmSmallF32 Target) Cells()
    {
        var source = new TorchLstmSmallF32(); // In = 3, H = 5, Out = 2: W_ih [20, 3], W_hh [20, 5], biases [20], head [2, 5] and [2]
        CheckpointAssert.Randomize(source, seed: 1);
        var target = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(target, seed: 2);
        return (source, target);
    }

    [Theory]
    [InlineData("rnn.weight_ih_l0", new long[] { 3, 20 }, "cell parameter W_ih", "has shape [3, 20]; expected [20, 3]")]        // transposed: same byte count
    [InlineData("rnn.weight_hh_l0", new long[] { 20, 6 }, "cell parameter W_hh", "has shape [20, 6]; expected [20, 5]")]
    [InlineData("rnn.bias_ih_l0", new long[] { 20, 1 }, "cell parameter b_ih", "has shape [20, 1]; expected [20]")]              // a column instead of a vector
    [InlineData("rnn.bias_hh_l0", new long[] { 15 }, "cell parameter b_hh", "has shape [15]; expected [20]")]                   // a GRU's bias in an LSTM
    [InlineData("head.weight", new long[] { 10 }, "cell parameter W_out", "has shape [10]; expected [2, 5]")]
    [InlineData("head.bias", new long[] { }, "cell parameter b_out", "has shape []; expected [2]")]
    public void A_wrong_shape_is_named(string tensor, long[] shape, string parameter, string expected)
    {
        var (source, target) = Cells();
        var bytes = RawSafeTensors.FromCell<float>(source).Replace(tensor, "F32", shape, elementSize: 4).Build();
        var exception = CheckpointAssert.Rejects(target, bytes);
        Assert.Equal(tensor, exception.TensorName);
        CheckpointAssert.MessageSays(exception, $"tensor '{tensor}' ({parameter}) {expected}");
    }

    [Theory]
    [InlineData("F16", 2)]
    [InlineData("BF16", 2)]
    [InlineData("I32", 4)]
    [InlineData("I64", 8)]
    [InlineData("U8", 1)]
    public void A_dtype_other_than_F32_or_F64_is_named(string dtype, int elementSize)
    {
        var (source, target) = Cells();
        var bytes = RawSafeTensors.FromCell<float>(source).Replace("rnn.weight_hh_l0", dtype, new long[] { 20, 5 }, elementSize).Build();
        var exception = CheckpointAssert.Rejects(target, bytes);
        Assert.Equal("rnn.weight_hh_l0", exception.TensorName);
        CheckpointAssert.MessageSays(exception, $"tensor 'rnn.weight_hh_l0' (cell parameter W_hh) has dtype {dtype}; expected F32");
    }

    [Fact]
    public void Missing_tensors_are_all_named_with_what_was_expected()
    {
        var (source, target) = Cells();
        var bytes = RawSafeTensors.FromCell<float>(source).Remove("rnn.bias_hh_l0").Remove("head.weight").Build();
        var exception = CheckpointAssert.Rejects(target, bytes);
        Assert.Equal("rnn.bias_hh_l0", exception.TensorName);
        CheckpointAssert.MessageSays(exception,
            "missing tensor 'rnn.bias_hh_l0' (cell parameter b_hh, expected F32 [20])",
            "'head.weight' (cell parameter W_out, expected F32 [2, 5])");
    }

    [Fact]
    public void Loading_an_LSTM_checkpoint_into_a_GRU_names_both_cell_types_or_with_another_type_allowed_the_first_misfit()
    {
        var lstm = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(lstm, seed: 3);
        var gru = new TorchGruSmallF32();
        var bytes = CheckpointAssert.SaveToBytes(lstm);
        CheckpointAssert.MessageSays(CheckpointAssert.Rejects(gru, bytes),
            $"records the cell type '{typeof(TorchLstmSmallF32).FullName}'; expected '{typeof(TorchGruSmallF32).FullName}'");

        var exception = CheckpointAssert.Rejects(gru, bytes, new CheckpointLoadOptions { AllowOtherCellType = true });
        CheckpointAssert.MessageSays(exception, "tensor 'rnn.weight_ih_l0' (cell parameter W_ih) has shape [20, 3]; expected [15, 3]");
    }

    [Fact]
    public void Extra_tensors_are_rejected_by_default_and_ignored_when_allowed()
    {
        var (source, target) = Cells();
        var bytes = RawSafeTensors.FromCell<float>(source)
            .Add("rnn.weight_ih_l1", "F32", new long[] { 20, 5 }, new byte[400])
            .Add("step", "I64", new long[] { }, new byte[8])
            .Build();
        var exception = CheckpointAssert.Rejects(target, bytes);
        Assert.Equal("rnn.weight_ih_l1", exception.TensorName);
        CheckpointAssert.MessageSays(exception, "unexpected tensor 'rnn.weight_ih_l1', 'step'", "expected only rnn.weight_ih_l0,", "AllowUnexpectedTensors");

        Checkpoint.Load(target, SafeTensorsFile.Parse(bytes), options: new CheckpointLoadOptions { AllowUnexpectedTensors = true });
        Assert.True(CheckpointAssert.BitIdentical<float>(source.Parameters, target.Parameters));
    }

    [Fact]
    public void A_missing_tensor_is_rejected_even_when_extra_tensors_are_allowed()
    {
        var (source, target) = Cells();
        var bytes = RawSafeTensors.FromCell<float>(source).Remove("head.bias").Build();
        var exception = CheckpointAssert.Rejects(target, bytes, new CheckpointLoadOptions { AllowUnexpectedTensors = true, AllowPrecisionLoss = true });
        CheckpointAssert.MessageSays(exception, "missing tensor 'head.bias' (cell parameter b_out, expected F32 [2])");
    }

    [Fact]
    public void The_last_tensor_being_wrong_still_leaves_the_first_ones_unloaded()
    {
        // Every tensor but the last is fine: a load that wrote tensor by tensor would have changed most parameters.
        var (source, target) = Cells();
        var bytes = RawSafeTensors.FromCell<float>(source).Replace("head.bias", "F32", new long[] { 3 }, 4).Build();
        CheckpointAssert.MessageSays(CheckpointAssert.Rejects(target, bytes), "tensor 'head.bias' (cell parameter b_out) has shape [3]; expected [2]");
    }
}
