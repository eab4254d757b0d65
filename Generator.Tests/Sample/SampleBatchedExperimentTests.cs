using System;
using System.Linq;
using UnrolledRnn.Batching;
using UnrolledRnn.Sample.Cells;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Sample.Plots;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>
/// The sample's batched experiments, what of them does not depend on timing: the recorder reads the batched trainer's
/// reports as loss per stream step, the quality check's threshold, the throughput plot's lines, and the exit code of
/// a batched run that ends clearly worse than the single-stream one.
/// </summary>
public sealed class SampleBatchedExperimentTests
{
    [Fact]
    public void The_recorder_reads_a_batched_update_of_identical_streams_as_the_single_stream_update()
    {
        // B copies of one window, from the same parameters: the batched loss per stream step must be the single stream's.
        const int batch = 4;
        int k2 = LstmLong.TruncationLength;
        var inputs = new float[k2];
        var targets = new float[k2];
        new UnrolledRnn.Sample.Tasks.DelayedRecall(4, seed: 3).Next(inputs, targets);

        var single = new LstmLong();
        single.InitializeParameters(2);
        var singleRecorder = new TrainingRecorder(k2, updatesPerPoint: 1, adjointNormsFromUpdate: 0);
        var trainer = new TbpttTrainer<LstmLong, float>(single, new MeanSquaredError<float>(), new Sgd<float>(0.1), k2) { Monitor = singleRecorder };
        trainer.Run(inputs, targets);

        var batched = new LstmLong();
        batched.InitializeParameters(2);
        var batchedRecorder = new TrainingRecorder(k2, updatesPerPoint: 1, adjointNormsFromUpdate: 0, streams: batch);
        using var batchedTrainer = new BatchedTrainer<LstmLong, float>(batched, new MeanSquaredError<float>(), new Sgd<float>(0.1), batch)
        {
            Monitor = batchedRecorder,
        };
        var batchInputs = Enumerable.Repeat(inputs, batch).SelectMany(window => window).ToArray();
        var batchTargets = Enumerable.Repeat(targets, batch).SelectMany(window => window).ToArray();
        batchedTrainer.Update(batchInputs, batchTargets);

        Assert.True(singleRecorder.LatestLoss > 0.1, $"a loss worth comparing: {singleRecorder.LatestLoss}");
        Assert.Equal(singleRecorder.LatestLoss, batchedRecorder.LatestLoss, 1e-5);
        Assert.Equal(k2, singleRecorder.LossCurve.Single().Step);
        Assert.Equal(batch * k2, batchedRecorder.LossCurve.Single().Step); // the steps of every stream
    }

    [Theory]
    [InlineData(0.10, 0.10, true)]
    [InlineData(0.05, 0.10, true)]   // better than one stream
    [InlineData(0.15, 0.10, true)]   // exactly the tolerance above
    [InlineData(0.16, 0.10, false)]
    [InlineData(1.00, 0.002, false)] // learnt nothing where one stream learnt the delay
    public void A_batched_run_matches_up_to_the_tolerance_above_the_single_stream_loss(double batchedLoss, double singleStreamLoss, bool matches)
    {
        var run = new BatchedMemoryRun("LSTM, k2 = 32, B = 16", "LSTM, k2 = 32", 16, 2, 4e-3, 512_000, 1_000, batchedLoss, singleStreamLoss, 1.0);

        Assert.Equal(0.05, BatchedMemoryRun.MatchTolerance);
        Assert.Equal(matches, run.Matches);
    }

    [Fact]
    public void The_throughput_plot_has_a_line_per_thread_count_the_batched_step_and_the_batch_one_paths_as_levels()
    {
        var points = new[]
        {
            new ThroughputPoint(ThroughputPath.SingleStreamTraining, 1, 1, 300_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedTraining, 1, 1, 40_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedTraining, 1, 2, 41_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedTraining, 8, 1, 700_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedTraining, 8, 2, 900_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedTraining, 64, 1, 1_500_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedTraining, 64, 2, 2_800_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.SingleStreamStep, 1, 1, 3_000_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedStep, 1, 1, 100_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedStep, 8, 1, 2_000_000, 1, 10, 0),
            new ThroughputPoint(ThroughputPath.BatchedStep, 64, 1, 5_000_000, 1, 10, 0),
        };
        var report = new ThroughputReport("LSTM, k2 = 32", points, ThreadsAgree: true, TimedMilliseconds: 250);

        var chart = SamplePlots.Throughput(report);

        Assert.Equal(
            new[] { "BatchedTrainer, 1 thread", "BatchedTrainer, 2 threads", "BatchedStreams.Step", "TbpttTrainer (batch-1 path)", "cell.Step (batch-1 path)" },
            chart.Series.Select(series => series.Name));
        Assert.Equal(new[] { (1.0, 41_000.0), (8.0, 900_000.0), (64.0, 2_800_000.0) }, chart.Series[1].Points);
        Assert.Equal(new[] { (1.0, 100_000.0), (8.0, 2_000_000.0), (64.0, 5_000_000.0) }, chart.Series[2].Points);
        Assert.Equal(new[] { (1.0, 300_000.0), (64.0, 300_000.0) }, chart.Series[3].Points); // a level across the batch sizes
        Assert.True(chart.X.Logarithmic && chart.Y.Logarithmic);
        Assert.True(chart.Y.Min <= 40_000 && chart.Y.Max >= 5_000_000);

        // Each figure's "x batch-1 path" compares training with TbpttTrainer and streaming with the cell's Step.
        Assert.Same(points[0], report.BatchOnePathOf(points[6]));
        Assert.Same(points[7], report.BatchOnePathOf(points[10]));
    }

    [Theory]
    [InlineData(10_000, "10k")]
    [InlineData(2_500_000, "2.5M")]
    [InlineData(100_000_000, "100M")]
    [InlineData(1_000_000_000, "1G")] // the throughput plot's headroom can reach it
    public void Tick_labels_name_thousands_millions_and_billions(double value, string label) => Assert.Equal(label, Axis.Format(value));

    [Fact]
    public void A_batched_run_clearly_worse_than_one_stream_is_said_and_exits_3()
    {
        // At 200,000 steps the LSTM on one stream is half-way (loss 0.44 with seed 1); 16 streams in lockstep have
        // made 16 times fewer updates and are not (0.66): more than the tolerance apart.
        using var folder = new TemporaryDirectory();
        var result = SampleProcess.Run("--cell", "lstm", "--k2", "32", "--steps", "200000", "--filter-steps", "0", "--throughput-ms", "0",
            "--output", folder.Path);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("LSTM, k2 = 32, B = 16: ", result.Stdout);
        Assert.Contains("DID NOT MATCH", result.Stdout);
        SampleProcess.AssertNoStackTrace(result);
    }
}
