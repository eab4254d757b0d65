using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Sample.Plots;
using UnrolledRnn.Sample.Progress;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Sample;

/// <summary>
/// The sample's claim, on a small budget: on the delayed-recall task a window shorter than the delay cannot teach
/// the network to remember, a longer one can; the batched twin of the long run trains as many stream steps and is
/// scored on the same data; the throughput experiment times every configuration, and its two thread counts train the
/// same parameters; and its plots are well-formed SVG with the expected series.
/// </summary>
public sealed class SampleTests
{
    private readonly ITestOutputHelper _output;

    public SampleTests(ITestOutputHelper output) => _output = output;

    // The margin: the short window must end at least this much above the long one, in mean squared error per step
    // on fresh data, where 1 is "no memory at all" (predicting 0 for a ±1 bit). Measured with seed 1 and this budget:
    // see the comment in the test.
    private const double RequiredMargin = 0.5;

    [Fact]
    public void ShortTruncationCannotLearnTheDelayLongTruncationCan_AndThePlotsAreWellFormed()
    {
        string folder = Path.Combine(Path.GetTempPath(), "unrolledrnn-sample-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new SampleOptions { Cell = "lstm", Steps = SmallBudget, FilterSteps = 20_000, StreamSteps = 1_000, ThroughputMilliseconds = 1, Seed = 1 };
            var results = SampleRunner.Run(options, SilentProgress.Instance);
            SamplePlots.Write(folder, results);

            var shortRun = results.MemoryRuns.Single(run => run.K2 <= SampleOptions.Delay);
            var longRun = results.MemoryRuns.Single(run => run.K2 > SampleOptions.Delay);
            _output.WriteLine($"k2 = {shortRun.K2}: {shortRun.FinalLoss:F4}, k2 = {longRun.K2}: {longRun.FinalLoss:F4}, filter {results.Filter?.FinalLoss:F5}");
            Assert.True(shortRun.FinalLoss - longRun.FinalLoss >= RequiredMargin,
                $"short window k2 = {shortRun.K2}: loss {shortRun.FinalLoss:F4}; long window k2 = {longRun.K2}: loss {longRun.FinalLoss:F4}; required margin {RequiredMargin}");
            Assert.True(shortRun.FinalLoss > 0.8, $"the short window should learn next to nothing: loss {shortRun.FinalLoss:F4}");

            // The streaming filter learnt something and streamed without allocating.
            Assert.NotNull(results.Filter);
            Assert.True(results.Filter!.FinalLoss < 0.5 * results.Filter.TargetVariance, $"filter loss {results.Filter.FinalLoss} vs variance {results.Filter.TargetVariance}");
            Assert.Equal(0, results.Filter.Latency.AllocatedBytes);

            // The batched twin of the long run only: 16 streams, the nearest whole number of updates to as many stream steps.
            var batched = Assert.Single(results.BatchedRuns);
            Assert.Equal((longRun.Name, SampleOptions.BatchedStreams), (batched.SingleStreamName, batched.BatchSize));
            Assert.Equal(781, batched.Updates); // 400,000 stream steps / (16 streams x k2 = 32) = 781.25
            Assert.Equal(batched.Updates * 16 * 32, batched.StreamSteps);
            Assert.Equal(longRun.FinalLoss, batched.SingleStreamLoss);
            Assert.True(double.IsFinite(batched.FinalLoss) && batched.FinalLoss < 1.5, $"batched loss {batched.FinalLoss}");

            // Every configuration timed, each at least once; 1 and 2 threads trained the same parameters.
            var throughput = results.Throughput!;
            Assert.True(throughput.ThreadsAgree);
            Assert.Equal(
                new[] { "SingleStreamTraining 1 1", "BatchedTraining 1 1", "BatchedTraining 1 2", "BatchedTraining 8 1", "BatchedTraining 8 2",
                    "BatchedTraining 64 1", "BatchedTraining 64 2", "SingleStreamStep 1 1", "BatchedStep 1 1", "BatchedStep 8 1", "BatchedStep 64 1" },
                throughput.Points.Select(point => $"{point.Path} {point.BatchSize} {point.Threads}"));
            Assert.All(throughput.Points, point => Assert.True(point.Calls >= 1 && point.StepsPerSecond > 0, point.ToString()));

            AssertSeries(Path.Combine(folder, SamplePlots.LossCurvesFile), shortRun.Name, longRun.Name);
            AssertSeries(Path.Combine(folder, SamplePlots.AdjointNormsFile), shortRun.Name, longRun.Name);
            AssertSeries(Path.Combine(folder, SamplePlots.StreamingFile), "input signal", "target: low-pass(tanh(3x))", "LSTM prediction");
            AssertSeries(Path.Combine(folder, SamplePlots.ThroughputFile), "BatchedTrainer, 1 thread", "BatchedTrainer, 2 threads", "BatchedStreams.Step",
                "TbpttTrainer (batch-1 path)", "cell.Step (batch-1 path)");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private const long SmallBudget = 400_000;

    /// <summary>The file parses as XML, is an SVG with axes' text, and has one polyline (with points and a title) per expected series.</summary>
    private static void AssertSeries(string path, params string[] expected)
    {
        XNamespace svg = "http://www.w3.org/2000/svg";
        var document = XDocument.Load(path);
        Assert.Equal(svg + "svg", document.Root!.Name);
        var polylines = document.Descendants(svg + "polyline").ToList();
        Assert.Equal(expected.OrderBy(name => name), polylines.Select(line => (string)line.Attribute("data-series")!).OrderBy(name => name));
        foreach (var line in polylines)
        {
            Assert.Equal((string)line.Attribute("data-series")!, (string)line.Element(svg + "title")!);
            string[] points = ((string)line.Attribute("points")!).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(points.Length >= 2, $"{path}: series {line.Attribute("data-series")} has {points.Length} points");
            Assert.All(points, point => Assert.True(point.Split(',').All(c => double.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)), point));
        }

        // Title, axis labels, tick labels and the legend are text.
        Assert.True(document.Descendants(svg + "text").Count() >= 10 + expected.Length, $"{path}: too little text for axes, ticks and legend");
    }
}
