using System;
using System.Collections.Generic;
using System.Globalization;
using Spectre.Console;
using UnrolledRnn.Sample.Experiments;

namespace UnrolledRnn.Sample;

/// <summary>The closing summary: a table of the runs, the batched runs, the streaming figures, the throughput, the plots written, the time taken.</summary>
internal static class Summary
{
    /// <summary>The table of the memory-task runs, the batched runs, the streaming figures and the throughput table.</summary>
    public static void Print(SampleResults results)
    {
        var table = new Table().Title("[bold]Memory task: final loss on fresh data[/] (1 = no memory, 0 = perfect recall)")
            .AddColumn("run").AddColumn(new TableColumn("k1").RightAligned()).AddColumn(new TableColumn("k2").RightAligned())
            .AddColumn(new TableColumn("steps").RightAligned()).AddColumn(new TableColumn("steps/s").RightAligned())
            .AddColumn(new TableColumn("final loss").RightAligned()).AddColumn(new TableColumn("k2 > delay?").Centered());
        foreach (var run in results.MemoryRuns)
        {
            table.AddRow(Markup.Escape(run.Name), Invariant($"{run.K1}"), Invariant($"{run.K2}"), Invariant($"{run.Steps:N0}"),
                Invariant($"{run.StepsPerSecond:N0}"), Invariant($"{run.FinalLoss:F4}"),
                run.K2 > SampleOptions.Delay ? "[green]yes[/]" : "[red]no[/]");
        }

        AnsiConsole.Write(table);
        PrintBatched(results.BatchedRuns);
        if (results.Filter is { } filter)
        {
            var latency = filter.Latency;
            AnsiConsole.MarkupLine(Invariant(
                $"[bold]{Markup.Escape(filter.Name)}[/]: {filter.Steps:N0} training steps in {filter.Seconds:F1} s; streamed loss {filter.FinalLoss:F5} (target variance {filter.TargetVariance:F4})."));
            AnsiConsole.MarkupLine(Invariant(
                $"Streaming Step over {latency.Steps:N0} samples: p50 {latency.P50Microseconds:F2} µs, p99 {latency.P99Microseconds:F2} µs, max {latency.MaxMicroseconds:F1} µs, {latency.AllocatedBytes} bytes allocated."));
        }

        if (results.Throughput is { } throughput) PrintThroughput(throughput);
    }

    /// <summary>The memory task trained on many streams at once, beside the single-stream run; a loud line for a clearly worse one.</summary>
    private static void PrintBatched(IReadOnlyList<BatchedMemoryRun> runs)
    {
        if (runs.Count == 0) return;
        var first = runs[0];
        AnsiConsole.MarkupLine(Invariant(
            $"[bold]Memory task on {first.BatchSize} streams at once[/] (BatchedTrainer, {first.Threads} threads), as many stream steps as one stream:"));
        AnsiConsole.MarkupLine(Invariant($"{first.BatchSize}x fewer updates, at Adam's rate x √{first.BatchSize}. Final loss on the same fresh data:"));
        foreach (var run in runs)
        {
            string verdict = run.Matches
                ? Invariant($"[green]matches[/] (within {BatchedMemoryRun.MatchTolerance})")
                : Invariant($"[red bold]DID NOT MATCH[/] (more than {BatchedMemoryRun.MatchTolerance} above)");
            AnsiConsole.MarkupLine(Invariant(
                $"  {Markup.Escape(run.Name)}: {run.FinalLoss:F4} (one stream: {run.SingleStreamLoss:F4}); {run.Updates:N0} updates, {run.StepsPerSecond:N0} steps/s: {verdict}."));
        }
    }

    /// <summary>Stream steps per second by path, batch size and threads, with the bytes allocated per call.</summary>
    private static void PrintThroughput(ThroughputReport report)
    {
        var table = new Table().Title(Invariant($"[bold]Throughput, {Markup.Escape(report.CellName)}[/]: stream steps per second"))
            .AddColumn("path").AddColumn(new TableColumn("batch").RightAligned()).AddColumn(new TableColumn("threads").RightAligned())
            .AddColumn(new TableColumn("steps/s").RightAligned()).AddColumn(new TableColumn("x batch-1 path").RightAligned())
            .AddColumn(new TableColumn("calls").RightAligned()).AddColumn(new TableColumn("bytes per call").RightAligned());
        foreach (var point in report.Points)
        {
            table.AddRow(point.Path.Label(), Invariant($"{point.BatchSize}"), Invariant($"{point.Threads}"), Invariant($"{point.StepsPerSecond:N0}"),
                Invariant($"{point.StepsPerSecond / report.BatchOnePathOf(point).StepsPerSecond:F2}"), Invariant($"{point.Calls:N0}"),
                Invariant($"{point.AllocatedBytesPerCall:0.##}"));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Invariant(
            $"A call is an update (k1 = k2) or a Step. Each row timed {report.TimedMilliseconds} ms after as long a warm-up: a demo, not a benchmark."));
        AnsiConsole.MarkupLine(Invariant(
            $"BatchedTrainer runs chunks of B/2 streams, the same for 1 and 2 threads: they trained {(report.ThreadsAgree ? "bit-identical parameters" : "[red]different parameters[/]")}."));
    }

    /// <summary>The paths of the plots written.</summary>
    public static void PrintWritten(IReadOnlyList<string> files)
    {
        foreach (string file in files)
        {
            AnsiConsole.MarkupLine($"Wrote [link]{Markup.Escape(System.IO.Path.GetFullPath(file))}[/]");
        }
    }

    /// <summary>The last line: the whole run's wall time.</summary>
    public static void PrintDone(TimeSpan elapsed) => AnsiConsole.MarkupLine(Invariant($"Done in {elapsed.TotalSeconds:F1} s."));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
