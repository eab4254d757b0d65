using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>Save and load: bit-exact, PyTorch's names and shapes, the dtype conversion rule, nothing but the parameters touched.</summary>
public sealed class CheckpointRoundTripTests
{
    [Fact]
    public void A_float_cell_round_trips_bit_exactly_through_a_file()
    {
        using var directory = new TemporaryDirectory();
        var saved = new TorchLstmLargeF32();
        CheckpointAssert.Randomize(saved, seed: 1);
        Checkpoint.Save(saved, directory.File("lstm.safetensors"));

        var loaded = new TorchLstmLargeF32();
        CheckpointAssert.Randomize(loaded, seed: 2);
        Checkpoint.Load(loaded, directory.File("lstm.safetensors"));
        Assert.True(CheckpointAssert.BitIdentical<float>(saved.Parameters, loaded.Parameters));
        Assert.Equal(new[] { "lstm.safetensors" }, directory.FileNames());
    }

    [Fact]
    public void A_double_cell_round_trips_bit_exactly_including_special_values_when_non_finite_values_are_allowed()
    {
        var saved = new TorchGruSmallF64();
        CheckpointAssert.Randomize(saved, seed: 3);
        saved.Parameter_b_out[0] = double.NaN;
        saved.Parameter_b_out[1] = -0.0;
        saved.Parameter_W_hh[0] = double.Epsilon;
        var loaded = new TorchGruSmallF64();
        Checkpoint.Load(loaded, SafeTensorsFile.Parse(CheckpointAssert.SaveToBytes(saved)), options: new CheckpointLoadOptions { AllowNonFiniteValues = true });
        Assert.True(CheckpointAssert.BitIdentical<double>(saved.Parameters, loaded.Parameters));
    }

    [Fact]
    public void The_file_holds_PyTorchs_state_dict_names_shapes_and_dtype()
    {
        var cell = new TorchLstmSmallF32(); // In = 3, H = 5, Out = 2
        CheckpointAssert.Randomize(cell, seed: 4);
        var file = SafeTensorsFile.Parse(CheckpointAssert.SaveToBytes(cell));

        var expected = new (string Name, long[] Shape)[]
        {
            ("rnn.weight_ih_l0", new long[] { 20, 3 }), ("rnn.weight_hh_l0", new long[] { 20, 5 }),
            ("rnn.bias_ih_l0", new long[] { 20 }), ("rnn.bias_hh_l0", new long[] { 20 }),
            ("head.weight", new long[] { 2, 5 }), ("head.bias", new long[] { 2 }),
        };
        Assert.Equal(expected.Select(e => e.Name), file.Tensors.Select(t => t.Name));
        foreach (var (name, shape) in expected)
        {
            Assert.Equal(shape, file.GetTensor(name).Shape);
            Assert.Equal(SafeTensorsDType.F32, file.GetTensor(name).DType);
        }

        Assert.Equal(cell.Parameter_W_hh.ToArray(), file.ToArray<float>("rnn.weight_hh_l0"));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(typeof(TorchLstmSmallF32).FullName, file.Metadata[Checkpoint.CellTypeKey]);
    }

    [Fact]
    public void The_header_is_padded_so_the_data_starts_at_a_multiple_of_8()
    {
        var bytes = CheckpointAssert.SaveToBytes(new TorchRnnReluSmallF32());
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8);
    }

    [Fact]
    public void Saving_twice_writes_the_same_bytes_to_a_stream_and_to_a_file()
    {
        using var directory = new TemporaryDirectory();
        var cell = new TorchGruSmallF32();
        CheckpointAssert.Randomize(cell, seed: 5);
        Checkpoint.Save(cell, directory.File("a.safetensors"));
        Assert.Equal(CheckpointAssert.SaveToBytes(cell), File.ReadAllBytes(directory.File("a.safetensors")));
    }

    [Fact]
    public void Loading_touches_neither_the_state_nor_the_gradients()
    {
        var cell = new TorchLstmSmallF32();
        cell.State.Fill(0.25f);
        cell.Gradients.Fill(-1.5f);
        var source = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(source, seed: 6);
        Checkpoint.Load(cell, SafeTensorsFile.Parse(CheckpointAssert.SaveToBytes(source)));
        Assert.All(cell.State.ToArray(), v => Assert.Equal(0.25f, v));
        Assert.All(cell.Gradients.ToArray(), v => Assert.Equal(-1.5f, v));
    }

    [Fact]
    public void Explicit_and_verbatim_names_round_trip()
    {
        var names = CheckpointNames.Verbatim.WithNames(new Dictionary<string, string> { ["W_u"] = "mixer.weight" });
        var saved = new OpMatVec();
        CheckpointAssert.Randomize(saved, seed: 7);
        var file = SafeTensorsFile.Parse(CheckpointAssert.SaveToBytes(saved, names));
        Assert.Equal(new[] { "W_hh", "W_ih", "mixer.weight", "W_out" }, file.Tensors.Select(t => t.Name));

        var loaded = new OpMatVec();
        Checkpoint.Load(loaded, file, names);
        Assert.True(CheckpointAssert.BitIdentical<double>(saved.Parameters, loaded.Parameters));

        // The same file read with the default names misses the PyTorch names.
        var exception = CheckpointAssert.Rejects(new OpMatVec(), CheckpointAssert.SaveToBytes(saved, names));
        CheckpointAssert.MessageSays(exception, "missing tensor 'rnn.weight_hh_l0' (cell parameter W_hh, expected F64 [4, 4])");
    }

    // The double twin of a float cell is another class: loading one's checkpoint into the other takes AllowOtherCellType.
    private static readonly CheckpointLoadOptions s_intoTwin = new() { AllowOtherCellType = true };

    [Fact]
    public void F32_loads_into_a_double_cell_exactly()
    {
        var source = new TorchGruSmallF32();
        CheckpointAssert.Randomize(source, seed: 8);
        var cell = new TorchGruSmallF64();
        Checkpoint.Load(cell, SafeTensorsFile.Parse(CheckpointAssert.SaveToBytes(source)), options: s_intoTwin);
        Assert.Equal(source.Parameters.ToArray().Select(v => (double)v), cell.Parameters.ToArray());
    }

    [Fact]
    public void F64_into_a_float_cell_is_refused_unless_precision_loss_is_allowed()
    {
        var source = new TorchGruSmallF64();
        CheckpointAssert.Randomize(source, seed: 9);
        var bytes = CheckpointAssert.SaveToBytes(source);
        var cell = new TorchGruSmallF32();

        var exception = CheckpointAssert.Rejects(cell, bytes, s_intoTwin);
        Assert.Equal("rnn.weight_ih_l0", exception.TensorName);
        CheckpointAssert.MessageSays(exception, "tensor 'rnn.weight_ih_l0' (cell parameter W_ih) has dtype F64; expected F32", "AllowPrecisionLoss");

        Checkpoint.Load(cell, SafeTensorsFile.Parse(bytes), options: s_intoTwin with { AllowPrecisionLoss = true });
        Assert.Equal(source.Parameters.ToArray().Select(v => (float)v), cell.Parameters.ToArray());
    }

    [Fact]
    public void A_finite_F64_value_too_large_for_float_is_refused_even_with_precision_loss_allowed()
    {
        var source = new TorchGruSmallF64();
        source.Parameter_b_hh[7] = 1e300;
        var cell = new TorchGruSmallF32();
        var exception = CheckpointAssert.Rejects(cell, CheckpointAssert.SaveToBytes(source), s_intoTwin with { AllowPrecisionLoss = true });
        CheckpointAssert.MessageSays(exception, "tensor 'rnn.bias_hh_l0' (cell parameter b_hh): element 7 is finite in F64 but too large for float");
    }

    [Fact]
    public void A_file_without_metadata_or_checksums_as_other_tools_write_it_loads()
    {
        var source = new TorchRnnTanhSmallF32();
        CheckpointAssert.Randomize(source, seed: 10);
        var bytes = RawSafeTensors.FromCell<float>(source).Build();
        var cell = new TorchRnnTanhSmallF32();
        Checkpoint.Load(cell, SafeTensorsFile.Parse(bytes));
        Assert.True(CheckpointAssert.BitIdentical<float>(source.Parameters, cell.Parameters));
    }
}
