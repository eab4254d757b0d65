using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>
/// Snapshot testing with the conventions of Verify.SourceGenerators (not served by this registry):
/// the expected text lives in <c>_snapshots/{name}.verified.cs</c>; a mismatch writes
/// <c>{name}.received.cs</c> beside it and fails. Setting the environment variable
/// <c>UNROLLEDRNN_ACCEPT_SNAPSHOTS=1</c> accepts the received text as the new verified one.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "UNROLLEDRNN_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(FindProjectDirectory(callerPath), "_snapshots");
        Directory.CreateDirectory(directory);
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        string normalized = actual.Replace("\r\n", "\n");

        if (File.Exists(verifiedPath) && File.ReadAllText(verifiedPath).Replace("\r\n", "\n") == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verifiedPath, normalized);
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        Assert.Fail(File.Exists(verifiedPath)
            ? $"The generated source differs from {verifiedPath}; see {receivedPath}. Set {AcceptVariable}=1 to accept it."
            : $"No verified snapshot {verifiedPath} yet; the output was written to {receivedPath}. Set {AcceptVariable}=1 to accept it.");
    }

    private static string FindProjectDirectory(string callerPath)
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(callerPath)!); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "UnrolledRnn.Generator.Tests.csproj")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the test project's directory from " + callerPath);
    }
}
