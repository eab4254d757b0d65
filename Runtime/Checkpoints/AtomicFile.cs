using System;
using System.IO;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Replaces a file all at once. The content goes to a temporary file beside the target (same directory, so the
/// same file system), is flushed to disk, and is then renamed over the target: a rename within a file system
/// is atomic on POSIX systems and on NTFS, so a reader sees the old file or the new one, never a part. If
/// writing fails, the temporary file is deleted and the target is untouched; if the process dies mid-write, the
/// target is untouched and a temporary file ".{name}.{guid}.tmp" may be left behind. A file-system failure is
/// reported against the target's path, not the temporary file's (see <see cref="PathErrors"/>).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string temporaryPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch (Exception error) when (PathErrors.Explains(error))
        {
            TryDelete(temporaryPath);
            throw PathErrors.ForSave(path, error);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more; a stray temporary file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
