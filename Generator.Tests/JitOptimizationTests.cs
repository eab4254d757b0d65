using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Asks the JIT itself whether every generated method is fully optimised. The Benchmarks program's
/// jit-check mode runs the LSTM H=128 at k2 = 16, 32, 64 and 512 in a child process with tiered compilation
/// off (each method compiled once, at full optimisation unless it exceeds the JIT's limits) and
/// DOTNET_JitDisasmSummary on; the summary names each method with the optimisation level it got.
/// </summary>
public class JitOptimizationTests
{
    private readonly ITestOutputHelper _output;

    public JitOptimizationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Every_generated_method_is_fully_optimised_up_to_k2_512()
    {
        string repository = RepositoryRoot();
        string summary = Path.Combine(Path.GetTempPath(), $"unrolledrnn-jit-{Guid.NewGuid():N}.txt");
        var start = new ProcessStartInfo("dotnet", $"run -c Release --project \"{Path.Combine(repository, "Benchmarks")}\" -- jit-check")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository,
        };
        start.Environment["DOTNET_TieredCompilation"] = "0";
        start.Environment["DOTNET_JitStdOutFile"] = summary;
        start.Environment["DOTNET_JitDisasmSummary"] = "1";

        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"jit-check failed ({process.ExitCode}):\n{stdout}\n{stderr}");

        var lines = File.ReadAllLines(summary).Where(l => l.Contains("Benchmarks.Cells.LstmH128K", StringComparison.Ordinal)).ToList();
        File.Delete(summary);
        foreach (var line in lines.Where(l => l.Contains("Forward") || l.Contains("Backward") || l.Contains(":Step(")))
        {
            _output.WriteLine(Regex.Replace(line.Trim(), @"\(System\.[^)]*\)", "(...)"));
        }

        foreach (int k2 in new[] { 16, 32, 64, 512 })
        {
            foreach (string method in new[] { ":Forward(", ":ForwardStep(", ":Backward(", ":BackwardStep(", ":Step(" })
            {
                var compiled = lines.Where(l => l.Contains($"LstmH128K{k2}{method}", StringComparison.Ordinal)).ToList();
                Assert.True(compiled.Count > 0, $"LstmH128K{k2}{method}) was not compiled by the JIT");
                Assert.All(compiled, l => Assert.Contains("[FullOpts", l));
            }
        }
    }

    private static string RepositoryRoot([CallerFilePath] string path = "")
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
}
