using System;
using System.Collections.Generic;
using System.Globalization;
using Spectre.Console;
using UnrolledRnn.Sample.Experiments;

namespace UnrolledRnn.Sample;

/// <summary>The closing summary: a table of the runs, the streaming figures, the plots written, the time taken.</summary>
internal static class Summary
{
    /// <summary>The table of the memory-task runs and the streaming figures.</summary>
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
        if (results.Filter is { } filter)
        {
            var latency = filter.Latency;
            AnsiConsole.MarkupLine(Invariant(
                $"[bold]{Markup.Escape(filter.Name)}[/]: {filter.Steps:N0} training steps in {filter.Seconds:F1} s; streamed loss {filter.FinalLoss:F5} (target variance {filter.TargetVariance:F4})."));
            AnsiConsole.MarkupLine(Invariant(
                $"Streaming Step over {latency.Steps:N0} samples: p50 {latency.P50Microseconds:F2} µs, p99 {latency.P99Microseconds:F2} µs, max {latency.MaxMicroseconds:F1} µs, {latency.AllocatedBytes} bytes allocated."));
        }
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
