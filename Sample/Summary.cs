using System;
using System.Globalization;
using Spectre.Console;
using UnrolledRnn.Sample.Experiments;

namespace UnrolledRnn.Sample;

/// <summary>The closing summary: a table of the runs, the streaming figures and the plots written.</summary>
internal static class Summary
{
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

        foreach (string file in results.PlotFiles)
        {
            AnsiConsole.MarkupLine($"Wrote [link]{Markup.Escape(System.IO.Path.GetFullPath(file))}[/]");
        }

        AnsiConsole.MarkupLine(Invariant($"Done in {results.Seconds:F1} s."));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
