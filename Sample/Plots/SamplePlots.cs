using System;
using System.Collections.Generic;
using System.IO;
using UnrolledRnn.Sample.Experiments;

namespace UnrolledRnn.Sample.Plots;

/// <summary>The sample's four pictures: loss curves, adjoint norms by steps back, streamed predictions against targets, throughput.</summary>
public static class SamplePlots
{
    /// <summary>The file names, in the order they are written.</summary>
    public const string LossCurvesFile = "loss-curves.svg", AdjointNormsFile = "adjoint-norms.svg", StreamingFile = "streaming.svg",
        ThroughputFile = "throughput.svg";

    private const string LstmColor = "#1f77b4", ElmanColor = "#d62728", TargetColor = "#222222", InputColor = "#9a9a9a";
    private const string TwoThreadsColor = "#ff7f0e", StepColor = "#2ca02c", Dashed = "7 4";

    /// <summary>Writes the plots of <paramref name="results"/> into <paramref name="folder"/> (created if needed) and returns their paths.</summary>
    /// <exception cref="OutputWriteException">The folder or a plot cannot be written.</exception>
    public static IReadOnlyList<string> Write(string folder, SampleResults results)
    {
        OutputFolder.Prepare(folder);
        var files = new List<string>();
        if (results.MemoryRuns.Count > 0)
        {
            files.Add(Save(LossCurves(results.MemoryRuns), folder, LossCurvesFile));
            files.Add(Save(AdjointNorms(results.MemoryRuns), folder, AdjointNormsFile));
        }

        if (results.Filter is { } filter)
        {
            files.Add(Save(Streaming(filter), folder, StreamingFile));
        }

        if (results.Throughput is { } throughput)
        {
            files.Add(Save(Throughput(throughput), folder, ThroughputFile));
        }

        return files;
    }

    /// <summary>Mean loss per step through training, one line per run: colour by cell, dashes for the short window.</summary>
    public static LineChart LossCurves(IReadOnlyList<MemoryRun> runs)
    {
        double maxStep = 1, minLoss = double.MaxValue, maxLoss = 0;
        foreach (var run in runs)
        {
            maxStep = Math.Max(maxStep, run.Steps);
            foreach (var (_, loss) in run.LossCurve)
            {
                minLoss = Math.Min(minLoss, loss);
                maxLoss = Math.Max(maxLoss, loss);
            }
        }

        var chart = new LineChart
        {
            Title = $"Delayed recall (target = input {SampleOptions.Delay} steps back): training loss",
            XLabel = "training step",
            YLabel = "mean squared error per step (1 = no memory)",
            X = Axis.Linear(0, maxStep),
            Y = Axis.Log(Math.Max(minLoss, 1e-4), Math.Max(maxLoss, 1.0)),
            LegendCorner = "bottom-right",
        };
        foreach (var run in runs)
        {
            chart.Series.Add(new Series(run.Name, run.LossCurve, ColorOf(run), DashOf(run)));
        }

        return chart;
    }

    /// <summary>‖dL/ds‖ by steps back from the end of the window, averaged over the last quarter of training.</summary>
    public static LineChart AdjointNorms(IReadOnlyList<MemoryRun> runs)
    {
        int maxBack = 1;
        double min = double.MaxValue, max = 0;
        foreach (var run in runs)
        {
            maxBack = Math.Max(maxBack, run.AdjointNorms.Length - 1);
            foreach (double norm in run.AdjointNorms)
            {
                if (norm > 0) { min = Math.Min(min, norm); max = Math.Max(max, norm); }
            }
        }

        var chart = new LineChart
        {
            Title = "The gradient reaching back through the window (trained networks)",
            XLabel = "steps back from the end of the window",
            YLabel = "mean norm of dL/d(state)",
            X = Axis.Linear(0, maxBack),
            Y = Axis.Log(min == double.MaxValue ? 1e-3 : min, max == 0 ? 1 : max),
        };
        foreach (var run in runs)
        {
            var points = new List<(double, double)>();
            for (int k = 0; k < run.AdjointNorms.Length; k++) points.Add((k, run.AdjointNorms[k]));
            chart.Series.Add(new Series(run.Name, points, ColorOf(run), DashOf(run)));
        }

        return chart;
    }

    /// <summary>The streamed input, the filter's true output and the network's prediction, sample by sample.</summary>
    public static LineChart Streaming(FilterRun filter)
    {
        double min = 0, max = 0;
        foreach (float[] values in new[] { filter.Inputs, filter.Targets, filter.Predictions })
        {
            foreach (float value in values) { min = Math.Min(min, value); max = Math.Max(max, value); }
        }

        var chart = new LineChart
        {
            Title = "Streaming inference: nonlinear filter, one Step per sample",
            XLabel = "sample",
            YLabel = "signal",
            X = Axis.Linear(0, filter.Inputs.Length, padToTicks: false),
            Y = Axis.Linear(min, max + 0.35 * (max - min)), // headroom for the legend
        };
        chart.Series.Add(new Series("input signal", Points(filter.Inputs), InputColor));
        chart.Series.Add(new Series("target: low-pass(tanh(3x))", Points(filter.Targets), TargetColor));
        chart.Series.Add(new Series("LSTM prediction", Points(filter.Predictions), LstmColor, "6 3"));
        return chart;
    }

    /// <summary>
    /// Stream steps per second against batch size: one line per thread count of the batched trainer, one for the
    /// batched Step, and the batch-1 paths (TbpttTrainer, the cell's Step) as dashed levels across the batch sizes.
    /// </summary>
    public static LineChart Throughput(ThroughputReport report)
    {
        double minBatch = double.MaxValue, maxBatch = 1, min = double.MaxValue, max = 0;
        foreach (var point in report.Points)
        {
            minBatch = Math.Min(minBatch, point.BatchSize);
            maxBatch = Math.Max(maxBatch, point.BatchSize);
            min = Math.Min(min, point.StepsPerSecond);
            max = Math.Max(max, point.StepsPerSecond);
        }

        var chart = new LineChart
        {
            Title = $"Throughput, {report.CellName}: training and streaming",
            XLabel = "batch size (streams in lockstep)",
            YLabel = "stream steps per second",
            X = Axis.Log(minBatch, maxBatch),
            Y = Axis.Log(min, max * 30), // headroom for the legend
        };
        foreach (int threads in SampleOptions.ThroughputThreads)
        {
            var points = new List<(double, double)>();
            foreach (var point in report.Points)
            {
                if (point.Path == ThroughputPath.BatchedTraining && point.Threads == threads) points.Add((point.BatchSize, point.StepsPerSecond));
            }

            chart.Series.Add(new Series($"{ThroughputPath.BatchedTraining.Label()}, {threads} thread{(threads == 1 ? "" : "s")}", points,
                threads == 1 ? LstmColor : TwoThreadsColor));
        }

        var steps = new List<(double, double)>();
        foreach (var point in report.Points)
        {
            if (point.Path == ThroughputPath.BatchedStep) steps.Add((point.BatchSize, point.StepsPerSecond));
        }

        chart.Series.Add(new Series(ThroughputPath.BatchedStep.Label(), steps, StepColor));
        foreach (var point in report.Points)
        {
            if (point.Path is ThroughputPath.SingleStreamTraining or ThroughputPath.SingleStreamStep)
            {
                chart.Series.Add(new Series(point.Path.Label(), new[] { (minBatch, point.StepsPerSecond), (maxBatch, point.StepsPerSecond) },
                    point.Path.Trains() ? TargetColor : StepColor, Dashed));
            }
        }

        return chart;
    }

    private static List<(double, double)> Points(float[] values)
    {
        var points = new List<(double, double)>(values.Length);
        for (int t = 0; t < values.Length; t++) points.Add((t, values[t]));
        return points;
    }

    private static string ColorOf(MemoryRun run) => run.Cell == "LSTM" ? LstmColor : ElmanColor;

    // The short window dashed, the long one solid.
    private static string? DashOf(MemoryRun run) => run.K2 <= SampleOptions.Delay ? Dashed : null;

    private static string Save(LineChart chart, string folder, string file)
    {
        string path = Path.Combine(folder, file);
        try
        {
            chart.Render().Save(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw OutputWriteException.ForFile(path, error);
        }

        return path;
    }
}
