using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// Saving is atomic: the new file is written beside the target and renamed over it, so a failed save (here an
/// exception half-way through the write, a failed rename, a refused name map) leaves the previous checkpoint
/// byte-identical and no temporary file behind.
/// </summary>
public sealed class AtomicSaveTests
{
    [Fact]
    public void A_save_replaces_the_previous_checkpoint_and_leaves_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.safetensors");
        var cell = new TorchGruSmallF32();
        CheckpointAssert.Randomize(cell, seed: 1);
        Checkpoint.Save(cell, path);
        CheckpointAssert.Randomize(cell, seed: 2);
        Checkpoint.Save(cell, path);

        Assert.Equal(CheckpointAssert.SaveToBytes(cell), File.ReadAllBytes(path));
        Assert.Equal(new[] { "model.safetensors" }, directory.FileNames());
    }

    [Fact]
    public void The_content_goes_to_a_temporary_file_in_the_same_directory_while_the_target_keeps_its_old_content()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.safetensors");
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        string[] during = Array.Empty<string>();
        byte[] targetDuring = Array.Empty<byte>();

        AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[] { 4, 5, 6, 7 });
            stream.Flush();
            during = directory.FileNames();
            targetDuring = File.ReadAllBytes(path);
        });

        Assert.Equal(2, during.Length);
        Assert.Contains(during, name => name.StartsWith(".model.safetensors.", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(new byte[] { 1, 2, 3 }, targetDuring);
        Assert.Equal(new byte[] { 4, 5, 6, 7 }, File.ReadAllBytes(path));
        Assert.Equal(new[] { "model.safetensors" }, directory.FileNames());
    }

    [Fact]
    public void A_write_that_fails_half_way_leaves_the_previous_checkpoint_intact()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.safetensors");
        var cell = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(cell, seed: 3);
        Checkpoint.Save(cell, path);
        var previous = File.ReadAllBytes(path);

        CheckpointAssert.Randomize(cell, seed: 4);
        var next = CheckpointAssert.SaveToBytes(cell);
        var exception = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(next, 0, next.Length / 2);
            throw new IOException("The disk is full (simulated).");
        }));

        Assert.Equal($"Cannot save to '{path}': The disk is full (simulated).", exception.Message);
        Assert.Equal("The disk is full (simulated).", exception.InnerException?.Message);
        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal(new[] { "model.safetensors" }, directory.FileNames());
        var reloaded = new TorchLstmSmallF32();
        Checkpoint.Load(reloaded, path); // still a valid checkpoint
    }

    [Fact]
    public void A_save_refused_before_writing_leaves_the_previous_checkpoint_intact()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.safetensors");
        var cell = new OpMatVec();
        Checkpoint.Save(cell, path);
        var previous = File.ReadAllBytes(path);

        var clashing = CheckpointNames.PyTorch.WithNames(new Dictionary<string, string> { ["W_u"] = "head.weight" });
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(cell, path, clashing));
        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal(new[] { "model.safetensors" }, directory.FileNames());
    }

    [Fact]
    public void A_failed_rename_removes_the_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("occupied");
        Directory.CreateDirectory(path); // a directory where the checkpoint should go: the rename fails
        Assert.ThrowsAny<IOException>(() => Checkpoint.Save(new TorchGruSmallF32(), path));
        Assert.Equal(new[] { "occupied" }, directory.FileNames());
        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void Saving_into_a_missing_directory_throws_and_creates_nothing()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "missing", "model.safetensors");
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(new TorchGruSmallF32(), path));
        Assert.Empty(directory.FileNames());
    }
}
