using System;
using System.Collections.Generic;
using System.IO;
using UnrolledRnn.Sample.Experiments;

namespace UnrolledRnn.Sample.Plots;

/// <summary>The sample's three pictures: loss curves, adjoint norms by steps back, streamed predictions against targets.</summary>
public static class SamplePlots
{
    /// <summary>The file names, in the order they are written.</summary>
    public const string LossCurvesFile = "loss-curves.svg", AdjointNormsFile = "adjoint-norms.svg", StreamingFile = "streaming.svg";

    private const string LstmColor = "#1f77b4", ElmanColor = "#d62728", TargetColor = "#222222", InputColor = "#9a9a9a";

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

    private static List<(double, double)> Points(float[] values)
    {
        var points = new List<(double, double)>(values.Length);
        for (int t = 0; t < values.Length; t++) points.Add((t, values[t]));
        return points;
    }

    private static string ColorOf(MemoryRun run) => run.Cell == "LSTM" ? LstmColor : ElmanColor;

    // The short window dashed, the long one solid.
    private static string? DashOf(MemoryRun run) => run.K2 <= SampleOptions.Delay ? "7 4" : null;

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
