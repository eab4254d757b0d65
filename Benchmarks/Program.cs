using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using UnrolledRnn.Benchmarks;

// Modes:
//   (no argument)         every configuration, BenchmarkDotNet's default job (several minutes);
//   --short               the same configurations with few, short iterations, in process (under two minutes);
//   --results FILE        also write the table as tab-separated values (read by pytorch_compare.py);
//   --filter PATTERN ...  passed to BenchmarkDotNet (e.g. --filter '*Lstm*');
//   breakdown             time Forward, loss, Backward and SGD separately for every configuration (a quick profile);
//   jit-check             run every generated method once, for Generator.Tests/JitOptimizationTests.cs.
if (args.Length > 0 && args[0] == "breakdown")
{
    Breakdown.Run();
    return 0;
}

if (args.Length > 0 && args[0] == "jit-check")
{
    JitCheck.Run();
    return 0;
}

bool quick = args.Contains("--short");
int resultsIndex = Array.IndexOf(args, "--results");
string? resultsPath = resultsIndex >= 0 && resultsIndex + 1 < args.Length ? args[resultsIndex + 1] : null;
var passThrough = args.Where((a, i) => a != "--short" && a != "--results" && (resultsIndex < 0 || i != resultsIndex + 1)).ToArray();
if (passThrough.Length > 0 && !passThrough[0].StartsWith("--", StringComparison.Ordinal))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project Benchmarks -- [--short] [--results FILE] [--filter PATTERN] | breakdown | jit-check");
    return 2;
}

var job = quick
    ? Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7)
        .WithIterationTime(TimeInterval.FromMilliseconds(100)).WithId("Short")
    : Job.Default;
var config = DefaultConfig.Instance.AddJob(job.AsDefault()).AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);
var summaries = BenchmarkSwitcher.FromTypes([typeof(PeakFma), typeof(CellBenchmarks<>), typeof(OnnxRuntimeStepBenchmarks<>), typeof(BatchedBenchmarks<>)])
    .Run(passThrough.Length > 0 ? passThrough : ["--filter", "*"], config);

var (rows, peak) = ResultTable.Collect(summaries);
Console.WriteLine();
Console.WriteLine(ResultTable.ToMarkdown(rows, peak));
if (resultsPath is not null)
{
    ResultTable.WriteTsv(resultsPath, rows, peak);
    Console.WriteLine($"results written to {resultsPath}");
}

return 0;
