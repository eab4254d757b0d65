using System;
using System.IO;

namespace UnrolledRnn.Sample.Plots;

/// <summary>The output folder, or a plot in it, cannot be written; the message is one line naming the path and the reason.</summary>
public sealed class OutputWriteException : IOException
{
    private OutputWriteException(string message, Exception cause)
        : base(message, cause)
    {
    }

    /// <summary>The folder <paramref name="folder"/> cannot be created or written into.</summary>
    public static OutputWriteException ForFolder(string folder, Exception cause) =>
        new($"Cannot write to the output folder '{FullPath(folder)}': {Reason(folder, cause)}", cause);

    /// <summary>The file <paramref name="file"/> cannot be written.</summary>
    public static OutputWriteException ForFile(string file, Exception cause) =>
        new($"Cannot write '{FullPath(file)}': " +
            (Directory.Exists(file) ? "it is a folder, not a file." : Reason(Path.GetDirectoryName(file) ?? "", cause)), cause);

    // .NET says "Could not find a part of the path" when a folder on the path is a regular file: name that file instead.
    private static string Reason(string folder, Exception cause)
    {
        for (string? path = folder; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path)) return $"'{FullPath(path)}' is a file, not a folder.";
        }

        return cause.Message.ReplaceLineEndings(" ");
    }

    private static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return path; // empty, or a character no path may hold: shown as given
        }
    }
}
