using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Asks the JIT itself whether every generated method is fully optimised. The Benchmarks program's
/// jit-check mode runs the LSTM H=128 at k2 = 16, 32, 64 and 512 in a child process with tiered compilation
/// off (each method compiled once, at full optimisation unless it exceeds the JIT's limits) and
/// DOTNET_JitDisasmSummary on; the summary names each method with the optimisation level it got.
/// </summary>
[Collection(ChildBuildCollection.Name)]
public class JitOptimizationTests
{
    private readonly ITestOutputHelper _output;

    public JitOptimizationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Every_generated_method_is_fully_optimised_up_to_k2_512()
    {
        string repository = ChildProcess.RepositoryRoot();
        string summary = Path.Combine(Path.GetTempPath(), $"unrolledrnn-jit-{Guid.NewGuid():N}.txt");
        ChildProcess.Dotnet($"run -c Release --project \"{Path.Combine(repository, "Benchmarks")}\" -- jit-check", repository,
            ("DOTNET_TieredCompilation", "0"), ("DOTNET_JitStdOutFile", summary), ("DOTNET_JitDisasmSummary", "1"));

        // The drivers are members of the cells (Benchmarks.Cells.LstmH128K16); the step methods are in their file-local
        // step classes (UnrolledRnn.Generated.<file>__LstmH128K16Steps).
        var lines = File.ReadAllLines(summary).Where(l => l.Contains("LstmH128K", StringComparison.Ordinal)).ToList();
        File.Delete(summary);
        foreach (var line in lines.Where(l => l.Contains("Forward") || l.Contains("Backward") || l.Contains("Step")))
        {
            _output.WriteLine(Regex.Replace(line.Trim(), @"\(System\.[^)]*\)", "(...)"));
        }

        foreach (int k2 in new[] { 16, 32, 64, 512 })
        {
            foreach (string method in new[] { ":Forward(", "Steps:ForwardStep(", ":Backward(", "Steps:BackwardStep(", ":Step(", "Steps:InferenceStep(", "+InferenceStream:Step(" })
            {
                var compiled = lines.Where(l => l.Contains($"LstmH128K{k2}{method}", StringComparison.Ordinal)).ToList();
                Assert.True(compiled.Count > 0, $"LstmH128K{k2}{method}) was not compiled by the JIT");
                Assert.All(compiled, l => Assert.Contains("[FullOpts", l));
            }

            // The batched drivers are explicit implementations of IBatchedCell; their steps are in LstmH128K16BatchedSteps.
            foreach (string method in new[] { "BatchedSteps:ForwardStep(", "BatchedSteps:BackwardStep(", ":ForwardBatch(", ":BackwardBatch(", ":StepBatch(" })
            {
                var compiled = lines.Where(l => l.Contains($"LstmH128K{k2}", StringComparison.Ordinal) && l.Contains(method.StartsWith(':') ? method.Substring(1) : $"LstmH128K{k2}{method}", StringComparison.Ordinal)
                    && !l.Contains($"LstmH128K{k2}Steps", StringComparison.Ordinal)).ToList();
                Assert.True(compiled.Count > 0, $"LstmH128K{k2} {method}) was not compiled by the JIT");
                Assert.All(compiled, l => Assert.Contains("[FullOpts", l));
            }
        }
    }
}
