using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>Runs a command (dotnet pack, dotnet run) as a child process, for tests that build something.</summary>
public static class ChildProcess
{
    public static string RepositoryRoot([CallerFilePath] string path = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(path)!); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "UnrolledRnn.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No UnrolledRnn.sln above " + path);
    }

    /// <summary>Runs <paramref name="arguments"/> with dotnet and returns its output; fails the test on a non-zero exit.</summary>
    public static string Dotnet(string arguments, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet {arguments} exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}

/// <summary>Tests that build projects in child processes share outputs (Runtime in Release): never in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildBuildCollection
{
    public const string Name = "Child builds";
}
