using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// Turns one BenchmarkDotNet run into the table of docs/performance.md: per configuration and operation the
/// median time, the achieved GFLOP/s of the matrix products (<see cref="FlopCount"/>), that rate as a fraction
/// of the single-core FMA peak measured in the same run (<see cref="PeakFma"/>), and the bytes allocated.
/// </summary>
public static class ResultTable
{
    /// <summary>
    /// One row: a configuration ("lstm H=128 k2=32"; the cell is "lstm-fast" for a cell with FastActivations) and an
    /// operation ("update" or "step").
    /// </summary>
    public sealed record Row(string Cell, int Hidden, int K2, string Operation, double MedianMicroseconds, double Gflops,
        double FractionOfPeak, long AllocatedBytes);

    /// <summary>Reads the rows and the measured peak (GFLOP/s, 0 if the peak was not measured) from the summaries.</summary>
    public static (List<Row> Rows, double PeakGflops) Collect(IEnumerable<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports.Select(r => (Summary: s, Report: r)))
            .Where(x => x.Report.ResultStatistics is not null).ToList();
        double peak = 0;
        foreach (var (summary, report) in reports.Where(x => x.Report.BenchmarkCase.Descriptor.Type == typeof(PeakFma)))
        {
            peak = 2.0 * PeakFma.Lanes / report.ResultStatistics!.Median; // FLOPs per ns = GFLOP/s
        }

        var rows = new List<Row>();
        foreach (var (summary, report) in reports)
        {
            var type = report.BenchmarkCase.Descriptor.Type;
            bool batched = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(BatchedBenchmarks<>);
            if (!type.IsGenericType || (type.GetGenericTypeDefinition() != typeof(CellBenchmarks<>) && !batched))
            {
                continue;
            }

            var cell = (IUnrolledCell<float>)Activator.CreateInstance(type.GetGenericArguments()[0])!;
            string operation = report.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(CellBenchmarks<Cells.LstmH32K32>.Update) ? "update" : "step";
            double flops = operation == "update" ? FlopCount.PerUpdate(cell) : FlopCount.PerStep(cell);
            if (batched)
            {
                // Timed per stream; the step runs on one thread whatever the parameter says.
                operation += operation == "update"
                    ? $" B={BatchedBenchmarks<Cells.LstmH32K32>.Batch} threads={report.BenchmarkCase.Parameters["Threads"]}"
                    : $" B={BatchedBenchmarks<Cells.LstmH32K32>.Batch}";
            }
            double medianNs = report.ResultStatistics!.Median;
            double gflops = flops / medianNs;
            long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            string name = type.GetGenericArguments()[0].Name;
            string kind = name.StartsWith("Elman", StringComparison.Ordinal) ? "rnn" : name.StartsWith("Lstm", StringComparison.Ordinal) ? "lstm" : "gru";
            int hidden = kind == "lstm" ? cell.StateSize / 2 : cell.StateSize;
            rows.Add(new Row(name.EndsWith("Fast", StringComparison.Ordinal) ? kind + "-fast" : kind, hidden, cell.TruncationLength, operation, medianNs / 1000, gflops,
                peak > 0 ? gflops / peak : double.NaN, allocated));
        }

        rows.Sort((a, b) => (a.Operation != b.Operation ? -string.CompareOrdinal(a.Operation, b.Operation) : 0) switch
        {
            0 => (a.K2, a.Hidden, Order(a.Cell)).CompareTo((b.K2, b.Hidden, Order(b.Cell))),
            var c => c,
        });
        return (rows, peak);

        // rnn, lstm, gru, each followed by its -fast variant.
        static int Order(string cell) => 2 * (cell.StartsWith("rnn", StringComparison.Ordinal) ? 0 : cell.StartsWith("lstm", StringComparison.Ordinal) ? 1 : 2)
            + (cell.EndsWith("-fast", StringComparison.Ordinal) ? 1 : 0);
    }

    /// <summary>The rows as a Markdown table.</summary>
    public static string ToMarkdown(List<Row> rows, double peak)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Single-core FP32 FMA peak measured in this run: {peak:F1} GFLOP/s ({PeakFma.Lanes} lanes).");
        text.AppendLine();
        text.AppendLine("| config | op | median (us) | GFLOP/s | % of peak | allocated (B) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Cell} H={row.Hidden} k2={row.K2} | {row.Operation} | {Time(row.MedianMicroseconds)} | {row.Gflops:F1} | {100 * row.FractionOfPeak:F0}% | {row.AllocatedBytes} |");
        }

        return text.ToString();
    }

    /// <summary>Writes the rows as tab-separated values (with a header) for Benchmarks/pytorch_compare.py.</summary>
    public static void WriteTsv(string path, List<Row> rows, double peak)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# peak_gflops\t{peak:R}");
        text.AppendLine("cell\thidden\tk2\top\tmedian_us\tgflops\tfraction_of_peak\tallocated_bytes");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Cell}\t{row.Hidden}\t{row.K2}\t{row.Operation}\t{row.MedianMicroseconds:R}\t{row.Gflops:R}\t{row.FractionOfPeak:R}\t{row.AllocatedBytes}");
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Time(double microseconds) =>
        microseconds.ToString(microseconds < 1 ? "F3" : microseconds < 100 ? "F2" : "F0", CultureInfo.InvariantCulture);
}
