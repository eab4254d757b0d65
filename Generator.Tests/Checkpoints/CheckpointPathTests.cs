using System;
using System.IO;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// A path that cannot be read or written: the error names the path given (never the temporary file a save
/// writes beside it) and what is wrong with it, and keeps the original error as its inner exception.
/// </summary>
public sealed class CheckpointPathTests
{
    [Fact]
    public void Loading_a_directory_says_it_is_a_directory()
    {
        using var directory = new TemporaryDirectory();
        var exception = Assert.Throws<IOException>(() => Checkpoint.Load(new TorchGruSmallF32(), directory.Path));
        Assert.Equal($"Cannot load '{directory.Path}': it is a directory, not a checkpoint file.", exception.Message);
        Assert.IsType<UnauthorizedAccessException>(exception.InnerException);
    }

    [Fact]
    public void Loading_a_missing_file_names_it_and_a_missing_folder_names_the_folder()
    {
        using var directory = new TemporaryDirectory();
        var cell = new TorchGruSmallF32();
        string missing = directory.File("missing.safetensors");
        var noFile = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(cell, missing));
        Assert.Equal($"Cannot load '{missing}': there is no such file.", noFile.Message);
        Assert.Equal(missing, noFile.FileName);
        Assert.IsType<FileNotFoundException>(noFile.InnerException);

        string runs = directory.File("runs");
        string inMissingFolder = Path.Combine(runs, "model.safetensors");
        var noFolder = Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Load(cell, inMissingFolder));
        Assert.Equal($"Cannot load '{inMissingFolder}': the folder '{runs}' does not exist.", noFolder.Message);
        Assert.IsType<DirectoryNotFoundException>(noFolder.InnerException);
    }

    [Fact]
    public void A_relative_path_is_named_as_given_and_in_full()
    {
        using var directory = new TemporaryDirectory();
        string full = directory.File("model.safetensors");
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        var exception = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(new TorchGruSmallF32(), relative));
        Assert.Equal($"Cannot load '{relative}' (full path '{full}'): there is no such file.", exception.Message);
    }

    [Fact]
    public void Saving_into_a_missing_folder_names_the_path_and_the_folder_not_the_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        string runs = directory.File("runs");
        string path = Path.Combine(runs, "model.safetensors");
        var exception = Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(new TorchGruSmallF32(), path));
        Assert.Equal($"Cannot save to '{path}': the folder '{runs}' does not exist.", exception.Message);
        Assert.Contains(".tmp", Assert.IsType<DirectoryNotFoundException>(exception.InnerException).Message);
        Assert.Empty(directory.FileNames());
    }

    [Fact]
    public void Saving_over_a_directory_says_it_is_a_directory()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.safetensors");
        Directory.CreateDirectory(path);
        var exception = Assert.Throws<IOException>(() => Checkpoint.Save(new TorchGruSmallF32(), path));
        Assert.Equal($"Cannot save to '{path}': it is a directory, not a file.", exception.Message);
        Assert.NotNull(exception.InnerException);
        Assert.Equal(new[] { "model.safetensors" }, directory.FileNames());
    }

    [Fact]
    public void A_file_where_a_folder_should_be_is_named_on_save_and_on_load()
    {
        using var directory = new TemporaryDirectory();
        string file = directory.File("runs");
        File.WriteAllText(file, "not a folder");
        string path = Path.Combine(file, "day1", "model.safetensors");
        var cell = new TorchGruSmallF32();

        var save = Assert.Throws<IOException>(() => Checkpoint.Save(cell, path));
        Assert.Equal($"Cannot save to '{path}': '{file}' is a file, not a folder.", save.Message);
        Assert.NotNull(save.InnerException);

        var load = Assert.Throws<IOException>(() => Checkpoint.Load(cell, path));
        Assert.Equal($"Cannot load '{path}': '{file}' is a file, not a folder.", load.Message);
        Assert.NotNull(load.InnerException);
    }

    [Fact]
    public void A_denied_save_names_the_path_and_its_folder_and_keeps_the_original_error()
    {
        // Simulated (as root, the file system denies nothing): .NET's own error names the temporary file.
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.safetensors");
        var denied = new UnauthorizedAccessException($"Access to the path '{directory.File(".model.safetensors.0123.tmp")}' is denied.");
        var exception = Assert.Throws<UnauthorizedAccessException>(() => AtomicFile.Write(path, _ => throw denied));
        Assert.Equal(
            $"Cannot save to '{path}': permission denied (this process may not create a file in the folder '{directory.Path}', " +
            "or may not replace the file there).", exception.Message);
        Assert.Same(denied, exception.InnerException);
        Assert.Empty(directory.FileNames());
    }

    [Fact]
    public void A_denied_load_says_permission_denied_and_keeps_the_original_error()
    {
        // Simulated as above: the file exists, and reading it failed with .NET's permission error.
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.safetensors");
        Checkpoint.Save(new TorchGruSmallF32(), path);
        var denied = new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        var exception = Assert.IsType<UnauthorizedAccessException>(PathErrors.ForLoad(path, denied));
        Assert.Equal($"Cannot load '{path}': permission denied (this process may not read the file).", exception.Message);
        Assert.Same(denied, exception.InnerException);
    }
}
