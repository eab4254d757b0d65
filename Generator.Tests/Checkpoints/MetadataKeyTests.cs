using System;
using System.Collections.Generic;
using System.IO;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// A caller's metadata cannot overwrite what the library records (the cell type that guards every load, "format"):
/// a reserved key is rejected naming it, before anything is written; any other key is saved as given.
/// </summary>
public sealed class MetadataKeyTests
{
    [Theory]
    [InlineData("unrolledrnn.cell")]
    [InlineData("unrolledrnn.sha256.rnn.weight_ih_l0")]
    [InlineData("unrolledrnn.anything")]
    [InlineData("format")]
    public void A_reserved_metadata_key_is_rejected_naming_it_and_nothing_is_written(string key)
    {
        using var directory = new TemporaryDirectory();
        var cell = new TorchRnnTanhSmallF32();
        CheckpointAssert.Randomize(cell, seed: 1);
        var metadata = new Dictionary<string, string> { ["run"] = "7", [key] = "MyApp.OtherCell" };

        var exception = Assert.Throws<ArgumentException>(() => Checkpoint.Save(cell, directory.File("rnn.safetensors"), metadata: metadata));
        Assert.Equal("metadata", exception.ParamName);
        Assert.Contains($"The metadata key '{key}' is reserved", exception.Message);
        Assert.Empty(directory.FileNames());
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(cell, new MemoryStream(), metadata: metadata));
    }

    [Fact]
    public void Other_metadata_keys_are_saved_beside_the_cell_type_record()
    {
        var cell = new TorchRnnTanhSmallF32();
        CheckpointAssert.Randomize(cell, seed: 2);
        var stream = new MemoryStream();
        Checkpoint.Save(cell, stream, metadata: new Dictionary<string, string> { ["run"] = "7", ["unrolledrnn"] = "a key without the dot" });

        var file = SafeTensorsFile.Parse(stream.ToArray());
        Assert.Equal("7", file.Metadata["run"]);
        Assert.Equal("a key without the dot", file.Metadata["unrolledrnn"]);
        Assert.Equal(typeof(TorchRnnTanhSmallF32).FullName, file.Metadata[Checkpoint.CellTypeKey]);
    }
}
