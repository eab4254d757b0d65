using System;
using System.IO;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Turns a failure to read or write a file (a checkpoint, an exported ONNX model) into an exception that names the path the caller gave
/// (not the temporary file a save writes beside it) and says what is wrong with it, found by looking at the
/// file system after the failure: a directory where a file should be, a missing folder, a file where a folder
/// should be, a missing file, a denied permission. The original exception is kept as the inner exception.
/// </summary>
internal static class PathErrors
{
    /// <summary>Whether <paramref name="error"/> is a file-system failure that <see cref="ForLoad"/> and <see cref="ForSave"/> explain.</summary>
    public static bool Explains(Exception error) => error is IOException or UnauthorizedAccessException;

    /// <summary>The exception to throw when reading <paramref name="path"/> failed with <paramref name="error"/>.</summary>
    public static Exception ForLoad(string path, Exception error)
    {
        string fullPath = Path.GetFullPath(path);
        string subject = Subject("Cannot load", path, fullPath);
        if (Directory.Exists(fullPath))
        {
            return new IOException($"{subject}: it is a directory, not a checkpoint file.", error);
        }

        if (!File.Exists(fullPath))
        {
            return MissingFolder(subject, fullPath, error)
                   ?? new FileNotFoundException($"{subject}: there is no such file.", path, error);
        }

        return error is UnauthorizedAccessException
            ? new UnauthorizedAccessException($"{subject}: permission denied (this process may not read the file).", error)
            : new IOException($"{subject}: {error.Message}", error);
    }

    /// <summary>The exception to throw when writing <paramref name="path"/> (atomically, through a temporary file beside it) failed with <paramref name="error"/>.</summary>
    public static Exception ForSave(string path, Exception error)
    {
        string fullPath = Path.GetFullPath(path);
        string subject = Subject("Cannot save to", path, fullPath);
        if (Directory.Exists(fullPath))
        {
            return new IOException($"{subject}: it is a directory, not a file.", error);
        }

        if (MissingFolder(subject, fullPath, error) is Exception missing)
        {
            return missing;
        }

        return error is UnauthorizedAccessException
            ? new UnauthorizedAccessException(
                $"{subject}: permission denied (this process may not create a file in the folder '{Path.GetDirectoryName(fullPath)}', " +
                "or may not replace the file there).", error)
            : new IOException($"{subject}: {error.Message}", error);
    }

    /// <summary>"Cannot load 'model.safetensors' (full path '/home/me/model.safetensors')"; the full path only when it differs.</summary>
    private static string Subject(string action, string path, string fullPath) =>
        fullPath == path ? $"{action} '{path}'" : $"{action} '{path}' (full path '{fullPath}')";

    /// <summary>
    /// When the folder that should hold <paramref name="fullPath"/> does not exist: the error naming the nearest
    /// ancestor that is a file, if one is, or else the folder. Null when the folder exists.
    /// </summary>
    private static Exception? MissingFolder(string subject, string fullPath, Exception error)
    {
        string? folder = Path.GetDirectoryName(fullPath);
        if (folder is null || Directory.Exists(folder))
        {
            return null;
        }

        for (string? ancestor = folder; ancestor is not null && !Directory.Exists(ancestor); ancestor = Path.GetDirectoryName(ancestor))
        {
            if (File.Exists(ancestor))
            {
                return new IOException($"{subject}: '{ancestor}' is a file, not a folder.", error);
            }
        }

        return new DirectoryNotFoundException($"{subject}: the folder '{folder}' does not exist.", error);
    }
}
