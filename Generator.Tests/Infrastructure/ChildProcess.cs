using System;
using System.Collections.Generic;
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
        var start = new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = workingDirectory };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var result = Run(start);
        Assert.True(result.ExitCode == 0, $"dotnet {arguments} exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>Runs dotnet with <paramref name="arguments"/>, each passed as is (an empty one included); asserts nothing about the exit.</summary>
    public static ChildResult Dotnet(IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Run(start);
    }

    private static ChildResult Run(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ChildResult(process.ExitCode, stdout, stderr.Result);
    }
}

/// <summary>How a child process ended: its exit code and what it wrote.</summary>
public sealed record ChildResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Exit code and both streams, for an assertion's message.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Tests that build projects in child processes share outputs (Runtime in Release): never in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildBuildCollection
{
    public const string Name = "Child builds";
}
