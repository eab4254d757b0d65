using System;
using System.IO;

namespace UnrolledRnn.Sample.Plots;

/// <summary>The folder the plots go to, checked before any training so that a bad --output costs nothing.</summary>
public static class OutputFolder
{
    /// <summary>Creates <paramref name="folder"/> if needed, then writes and deletes a probe file in it.</summary>
    /// <exception cref="OutputWriteException">The folder cannot be created or written into.</exception>
    public static void Prepare(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw OutputWriteException.ForFolder(folder, error);
        }
    }
}
