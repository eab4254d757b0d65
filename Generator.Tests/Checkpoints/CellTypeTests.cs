using System.IO;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// The cell type a checkpoint records (<see cref="Checkpoint.CellTypeKey"/>): a file saved from another cell
/// type is rejected even when every tensor fits (a ReLU RNN's tensors are a tanh RNN's), naming both types,
/// unless <see cref="CheckpointLoadOptions.AllowOtherCellType"/>; a file without the record, as PyTorch writes
/// it, is not checked. The parameters stay bit-identical on rejection.
/// </summary>
public sealed class CellTypeTests
{
    private static (TorchRnnReluSmallF32 Relu, TorchRnnTanhSmallF32 Tanh) Cells()
    {
        var relu = new TorchRnnReluSmallF32();
        CheckpointAssert.Randomize(relu, seed: 1);
        var tanh = new TorchRnnTanhSmallF32();
        CheckpointAssert.Randomize(tanh, seed: 2);
        return (relu, tanh);
    }

    [Fact]
    public void A_checkpoint_of_another_cell_type_with_the_same_tensors_is_rejected_naming_both_types()
    {
        var (relu, tanh) = Cells();
        var exception = CheckpointAssert.Rejects(tanh, CheckpointAssert.SaveToBytes(relu));
        Assert.Null(exception.TensorName);
        Assert.Equal(
            $"test.safetensors: the metadata 'unrolledrnn.cell' records the cell type '{typeof(TorchRnnReluSmallF32).FullName}'; " +
            $"expected '{typeof(TorchRnnTanhSmallF32).FullName}', the cell being loaded (tensors of the same names and shapes can mean " +
            "something else in another cell: set AllowOtherCellType to load it anyway).",
            exception.Message);
    }

    [Fact]
    public void Another_cell_type_loads_when_allowed()
    {
        var (relu, tanh) = Cells();
        Checkpoint.Load(tanh, SafeTensorsFile.Parse(CheckpointAssert.SaveToBytes(relu)), options: new CheckpointLoadOptions { AllowOtherCellType = true });
        Assert.True(CheckpointAssert.BitIdentical<float>(relu.Parameters, tanh.Parameters));
    }

    [Fact]
    public void A_file_without_the_record_as_PyTorch_writes_it_loads_into_any_cell_its_tensors_fit()
    {
        var (relu, tanh) = Cells();
        Checkpoint.Load(tanh, SafeTensorsFile.Parse(RawSafeTensors.FromCell<float>(relu).Build()));
        Assert.True(CheckpointAssert.BitIdentical<float>(relu.Parameters, tanh.Parameters));
    }

    [Fact]
    public void The_same_cell_type_loads_through_a_file()
    {
        using var directory = new TemporaryDirectory();
        var (relu, _) = Cells();
        Checkpoint.Save(relu, directory.File("relu.safetensors"));
        var loaded = new TorchRnnReluSmallF32();
        Checkpoint.Load(loaded, directory.File("relu.safetensors"));
        Assert.True(CheckpointAssert.BitIdentical<float>(relu.Parameters, loaded.Parameters));
        Assert.Equal(typeof(TorchRnnReluSmallF32).FullName, SafeTensorsFile.Parse(File.ReadAllBytes(directory.File("relu.safetensors"))).Metadata[Checkpoint.CellTypeKey]);
    }
}
