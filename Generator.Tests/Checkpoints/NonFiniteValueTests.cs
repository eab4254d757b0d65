using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// A checkpoint holding NaN or an infinity (a diverged run's) is rejected by default, naming the tensor, the
/// first such element and how many there are; the parameters stay bit-identical, even when only the last
/// tensor is bad. <see cref="CheckpointLoadOptions.AllowNonFiniteValues"/> loads it as it is.
/// </summary>
public sealed class NonFiniteValueTests
{
    private static (TorchLstmSmallF32 Source, TorchLstmSmallF32 Target) Cells()
    {
        var source = new TorchLstmSmallF32(); // W_hh [20, 5]; b_out [2], the last tensor
        CheckpointAssert.Randomize(source, seed: 1);
        var target = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(target, seed: 2);
        return (source, target);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+infinity")]
    [InlineData(float.NegativeInfinity, "-infinity")]
    public void A_non_finite_value_in_the_last_tensor_is_rejected_naming_the_tensor_and_the_element(float value, string named)
    {
        var (source, target) = Cells();
        source.Parameter_b_out[1] = value;
        var exception = CheckpointAssert.Rejects(target, CheckpointAssert.SaveToBytes(source));
        Assert.Equal("head.bias", exception.TensorName);
        Assert.Equal(
            $"test.safetensors: tensor 'head.bias' (cell parameter b_out): element 1 is {named}; expected finite values " +
            "(non-finite elements: 1 of 2; set AllowNonFiniteValues to load them anyway).",
            exception.Message);
    }

    [Fact]
    public void In_a_matrix_the_first_bad_element_is_named_with_its_row_and_column_and_all_are_counted()
    {
        var (source, target) = Cells();
        source.Parameter_W_hh[7] = float.PositiveInfinity; // row 1, column 2 of [20, 5]
        source.Parameter_W_hh[12] = float.NaN;
        source.Parameter_W_hh[99] = float.NaN;
        var exception = CheckpointAssert.Rejects(target, CheckpointAssert.SaveToBytes(source));
        Assert.Equal("rnn.weight_hh_l0", exception.TensorName);
        CheckpointAssert.MessageSays(exception,
            "tensor 'rnn.weight_hh_l0' (cell parameter W_hh): element 7 (row 1, column 2) is +infinity", "(non-finite elements: 3 of 100;");
    }

    [Fact]
    public void A_file_from_another_tool_is_checked_too()
    {
        var (source, target) = Cells();
        source.Parameter_W_ih[0] = float.NaN;
        var exception = CheckpointAssert.Rejects(target, RawSafeTensors.FromCell<float>(source).Build());
        CheckpointAssert.MessageSays(exception, "tensor 'rnn.weight_ih_l0' (cell parameter W_ih): element 0 (row 0, column 0) is NaN");
    }

    [Fact]
    public void A_NaN_in_an_F64_file_rounded_into_a_float_cell_is_rejected_too()
    {
        var source = new TorchGruSmallF64();
        CheckpointAssert.Randomize(source, seed: 3);
        source.Parameter_b_ih[4] = double.NaN;
        var exception = CheckpointAssert.Rejects(new TorchGruSmallF32(), CheckpointAssert.SaveToBytes(source),
            new CheckpointLoadOptions { AllowPrecisionLoss = true, AllowOtherCellType = true });
        CheckpointAssert.MessageSays(exception, "tensor 'rnn.bias_ih_l0' (cell parameter b_ih): element 4 is NaN");
    }

    [Fact]
    public void Non_finite_values_load_bit_exactly_when_allowed()
    {
        var (source, target) = Cells();
        source.Parameter_b_out[0] = float.NegativeInfinity;
        source.Parameter_W_hh[3] = float.NaN;
        Checkpoint.Load(target, SafeTensorsFile.Parse(CheckpointAssert.SaveToBytes(source)), options: new CheckpointLoadOptions { AllowNonFiniteValues = true });
        Assert.True(CheckpointAssert.BitIdentical<float>(source.Parameters, target.Parameters));
    }
}
