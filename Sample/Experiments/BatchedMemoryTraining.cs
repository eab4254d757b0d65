using System;
using System.Diagnostics;
using UnrolledRnn.Batching;
using UnrolledRnn.Sample.Progress;
using UnrolledRnn.Sample.Tasks;
using UnrolledRnn.Training;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>
/// The memory task trained on many streams at once: <see cref="SampleOptions.BatchedStreams"/> delayed-recall streams,
/// each with bits of its own, in lockstep through <see cref="BatchedTrainer{TCell, T}"/>. The comparison with the
/// single-stream run is at the same number of stream steps: both see as much data and do the same arithmetic, and
/// the batched run makes B times fewer updates, each from a gradient averaged over B windows, so Adam's learning rate
/// is scaled by √B (the square-root rule for adaptive optimisers). Its final loss is measured on the single-stream
/// run's fresh data.
/// </summary>
internal static class BatchedMemoryTraining
{
    /// <summary>Trains a fresh <typeparamref name="TCell"/> batched and compares it with <paramref name="singleStream"/>.</summary>
    public static BatchedMemoryRun Train<TCell>(MemoryRun singleStream, SampleOptions options, IProgressReporter progress)
        where TCell : class, IBatchedCell<float>, new()
    {
        const int batch = SampleOptions.BatchedStreams, threads = SampleOptions.BatchedThreads;
        var cell = new TCell();
        cell.InitializeParameters((ulong)options.Seed);
        int k2 = cell.TruncationLength, window = batch * k2;
        long updates = Math.Max(1, (singleStream.Steps + window / 2) / window); // the nearest whole number of updates
        double learningRate = options.LearningRate * Math.Sqrt(batch);
        var recorder = new TrainingRecorder(k2, updatesPerPoint: (int)Math.Max(1, updates / 200), adjointNormsFromUpdate: updates * 3 / 4, streams: batch);
        using var trainer = new BatchedTrainer<TCell, float>(cell, new MeanSquaredError<float>(), new Adam<float>(learningRate), batch,
            new BatchedTrainerOptions { StreamsPerChunk = batch / threads, Threads = threads, MaxGradientNorm = 1.0 })
        {
            Monitor = recorder,
        };

        // Stream 0 has the single-stream run's bits; the others their own.
        var streams = new DelayedRecallStreams(batch, SampleOptions.Delay, options.Seed);
        var inputs = new float[window];
        var targets = new float[window];
        string name = $"{singleStream.Name}, B = {batch}";
        var run = progress.StartRun(name, updates * window, "steps");
        var clock = Stopwatch.StartNew();
        for (long update = 1; update <= updates; update++)
        {
            streams.NextWindow(inputs, targets);
            trainer.Update(inputs, targets);
            run.Report(update * window, recorder.LatestLoss, recorder.LatestGradientNorm);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        run.Complete();
        double loss = SampleRunner.RecallLossOnFreshData(cell, options.Seed);
        return new BatchedMemoryRun(name, singleStream.Name, batch, threads, learningRate, updates * window, updates, loss, singleStream.FinalLoss, seconds);
    }
}
