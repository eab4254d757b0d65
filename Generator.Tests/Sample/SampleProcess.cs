using System.IO;
using System.Linq;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>Runs the built sample (the copy beside the tests) as a child process, as a user runs it from a shell.</summary>
internal static class SampleProcess
{
    /// <summary>Runs the sample with <paramref name="arguments"/>; its output is redirected, so its progress is plain lines.</summary>
    public static ChildResult Run(params string[] arguments) =>
        ChildProcess.Dotnet([typeof(SampleOptions).Assembly.Location, .. arguments], Path.GetTempPath());

    /// <summary>Neither stream holds a .NET stack trace line ("   at Type.Method(...)").</summary>
    public static void AssertNoStackTrace(ChildResult result) =>
        Assert.False((result.Stdout + result.Stderr).Split('\n').Any(line => line.StartsWith("   at ", System.StringComparison.Ordinal)), result.ToString());

    /// <summary>The non-empty lines of <paramref name="text"/>.</summary>
    public static string[] Lines(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Where(line => line.Length > 0).ToArray();
}
