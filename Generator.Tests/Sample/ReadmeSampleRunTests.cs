using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Sample.Plots;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>
/// README's "What the sample shows" quotes one run of the sample with its default options and shows its plots from
/// docs/images. Its numbers (losses, speeds, latencies) are that run's and are not checked here: they vary with the
/// machine. What is checked, against the sample of today run on a tiny budget: the table has the runs, k1, k2 and
/// columns the sample prints, the steps of the default options, and the streaming lines the default counts; the
/// batched runs are the ones the sample trains; the throughput table has the sample's columns and configurations;
/// the plots draw those runs with the titles, labels, legends, colours and dashes the sample draws.
/// </summary>
public sealed class ReadmeSampleRunTests : IClassFixture<ReadmeSampleRunTests.TinyRun>
{
    private static readonly Regex s_filterLine = new(@"^(?<name>.+): (?<steps>[\d,]+) training steps in ", RegexOptions.Multiline);
    private static readonly Regex s_streamingLine = new(@"^Streaming Step over (?<samples>[\d,]+) samples:", RegexOptions.Multiline);
    private static readonly Regex s_batchedLine = new(@"^  (?<name>.+, B = \d+): [\d.]+ \(one stream: ", RegexOptions.Multiline);
    private static readonly SampleOptions s_defaults = new();
    private readonly TinyRun _run;

    public ReadmeSampleRunTests(TinyRun run) => _run = run;

    [Fact]
    public void The_table_has_the_runs_the_sample_prints_at_the_default_steps()
    {
        string readme = ReadmeRun();
        string[][] quoted = TableRows(readme), printed = TableRows(_run.Result.Stdout);

        Assert.Equal(printed[0], quoted[0]); // the columns
        Assert.Equal(printed.Skip(1).Select(RunKeyColumns), quoted.Skip(1).Select(RunKeyColumns));
        Assert.All(quoted.Skip(1), row => Assert.Equal(s_defaults.Steps.ToString("N0", CultureInfo.InvariantCulture), row[3]));

        Match quotedFilter = s_filterLine.Match(readme), printedFilter = s_filterLine.Match(_run.Result.Stdout);
        Assert.True(quotedFilter.Success && printedFilter.Success, "README and the sample both print the filter's line");
        Assert.Equal(printedFilter.Groups["name"].Value, quotedFilter.Groups["name"].Value);
        Assert.Equal(s_defaults.FilterSteps.ToString("N0", CultureInfo.InvariantCulture), quotedFilter.Groups["steps"].Value);
        Assert.Equal(s_streamingLine.Match(_run.Result.Stdout).Groups["samples"].Value, s_streamingLine.Match(readme).Groups["samples"].Value);
    }

    [Fact]
    public void The_batched_runs_and_the_throughput_table_are_the_ones_the_sample_prints()
    {
        string readme = ReadmeRun();
        Assert.Equal(BatchedRunNames(_run.Result.Stdout), BatchedRunNames(readme));
        Assert.NotEmpty(BatchedRunNames(readme));

        string[][] quoted = TableRows(readme, index: 1), printed = TableRows(_run.Result.Stdout, index: 1);
        Assert.Equal(printed[0], quoted[0]); // the columns
        Assert.Equal(printed.Skip(1).Select(row => string.Join(" | ", row[..3])), quoted.Skip(1).Select(row => string.Join(" | ", row[..3]))); // path, batch, threads

        static string[] BatchedRunNames(string text) => s_batchedLine.Matches(text).Select(match => match.Groups["name"].Value).ToArray();
    }

    [Theory]
    [InlineData(SamplePlots.LossCurvesFile)]
    [InlineData(SamplePlots.AdjointNormsFile)]
    [InlineData(SamplePlots.StreamingFile)]
    [InlineData(SamplePlots.ThroughputFile)]
    public void The_plot_draws_the_runs_as_the_sample_draws_them(string file)
    {
        var shown = Drawing.Of(Path.Combine(ChildProcess.RepositoryRoot(), "docs", "images", file));
        var drawn = Drawing.Of(Path.Combine(_run.Folder.Path, file));

        Assert.Equal(drawn.Size, shown.Size);
        Assert.Equal(drawn.Labels, shown.Labels);
        Assert.Equal(drawn.Lines, shown.Lines);
    }

    /// <summary>The sample on a tiny budget with every cell, every k2 and the filter: the runs the README shows.</summary>
    public sealed class TinyRun : IDisposable
    {
        public TinyRun()
        {
            Result = SampleProcess.Run("--steps", "64", "--filter-steps", "64", "--throughput-ms", "1", "--output", Folder.Path);
            Assert.True(Result.ExitCode == 0, Result.ToString());
        }

        public TemporaryDirectory Folder { get; } = new();

        public ChildResult Result { get; }

        public void Dispose() => Folder.Dispose();
    }

    /// <summary>What of a plot does not depend on the numbers: its size, its texts but the tick labels, its lines' names and styles.</summary>
    private sealed record Drawing(string Size, string Labels, string Lines)
    {
        private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

        public static Drawing Of(string path)
        {
            var root = XDocument.Load(path).Root!;
            // LineChart draws tick labels at font size 12; the title, axis labels and legend at other sizes.
            var labels = root.Descendants(s_svg + "text").Where(text => (string?)text.Attribute("font-size") != "12").Select(text => text.Value);
            var lines = root.Descendants(s_svg + "polyline")
                .Select(line => $"{line.Attribute("data-series")?.Value} {line.Attribute("stroke")?.Value} {line.Attribute("stroke-dasharray")?.Value}");
            return new Drawing($"{root.Attribute("width")?.Value}x{root.Attribute("height")?.Value}", string.Join("\n", labels), string.Join("\n", lines));
        }
    }

    // run, k1, k2 and "k2 > delay?": all but the measured columns (steps, steps/s, final loss).
    private static string RunKeyColumns(string[] row) => string.Join(" | ", row[0], row[1], row[2], row[6]);

    /// <summary>The cells of each row of the box-drawn table number <paramref name="index"/> (from 0) in <paramref name="text"/>, header first.</summary>
    private static string[][] TableRows(string text, int index = 0)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        int start = -1;
        for (int table = 0; table <= index; table++)
        {
            start = Array.FindIndex(lines, start + 1, line => line.StartsWith('┌'));
            if (start < 0) return [];
        }

        return lines.Skip(start)
            .TakeWhile(line => !line.StartsWith('└'))
            .Where(line => line.StartsWith('│'))
            .Select(line => line.Split('│')[1..^1].Select(cell => cell.Trim()).ToArray())
            .ToArray();
    }

    /// <summary>The run quoted in README's "What the sample shows": its first code block.</summary>
    private static string ReadmeRun()
    {
        string readme = File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        int section = readme.IndexOf("## What the sample shows", StringComparison.Ordinal);
        int start = readme.IndexOf("```\n", section, StringComparison.Ordinal) + 4;
        return readme[start..readme.IndexOf("\n```", start, StringComparison.Ordinal)];
    }
}
