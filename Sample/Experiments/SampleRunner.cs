using System;
using System.Collections.Generic;
using System.Diagnostics;
using UnrolledRnn.Batching;
using UnrolledRnn.Sample.Cells;
using UnrolledRnn.Sample.Plots;
using UnrolledRnn.Sample.Progress;
using UnrolledRnn.Sample.Tasks;
using UnrolledRnn.Training;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>
/// The sample's experiments, callable from the command line and from tests: the memory task with each cell at
/// each truncation length, one stream at a time and, for the window longer than the delay, many at once; the
/// streaming filter and its per-step latency; throughput against batch size and threads.
/// </summary>
public static class SampleRunner
{
    private const int ChunkSteps = 2048;     // steps handed to TbpttTrainer.Run at once, between progress reports
    private const int EvaluationSteps = 8192; // fresh steps that measure a trained network's loss
    private const int PlottedSteps = 400;     // the stretch of the stream drawn against its targets

    /// <summary>Trains what <paramref name="options"/> selects; writes nothing (the plots are <see cref="SamplePlots"/>' job).</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message says which and why).</exception>
    public static SampleResults Run(SampleOptions options, IProgressReporter progress)
    {
        options.Validate();
        var runs = new List<MemoryRun>();
        var batchedRuns = new List<BatchedMemoryRun>();
        bool lstm = options.Cell is "lstm" or "both", elman = options.Cell is "elman" or "both";
        bool shortK2 = options.K2 is null || options.K2 == LstmShort.TruncationLength;
        bool longK2 = options.K2 is null || options.K2 == LstmLong.TruncationLength;
        if (lstm && shortK2) runs.Add(TrainMemory("LSTM", new LstmShort(), options, progress));
        if (lstm && longK2) TrainMemoryOneAndMany<LstmLong>("LSTM", options, progress, runs, batchedRuns);
        if (elman && shortK2) runs.Add(TrainMemory("Elman", new ElmanShort(), options, progress));
        if (elman && longK2) TrainMemoryOneAndMany<ElmanLong>("Elman", options, progress, runs, batchedRuns);

        FilterRun? filter = options.FilterSteps > 0 ? TrainFilter(options, progress) : null;
        ThroughputReport? throughput = options.ThroughputMilliseconds > 0
            ? ThroughputBenchmark.Measure<LstmLong>($"LSTM, k2 = {LstmLong.TruncationLength}", options, progress)
            : null;
        return new SampleResults(runs, batchedRuns, filter, throughput);
    }

    /// <summary>
    /// Trains <typeparamref name="TCell"/> on the memory task on one stream, then on many at once (not with a k1 other
    /// than k2: the batched trainer makes one update per window).
    /// </summary>
    private static void TrainMemoryOneAndMany<TCell>(string cellName, SampleOptions options, IProgressReporter progress,
        List<MemoryRun> runs, List<BatchedMemoryRun> batchedRuns)
        where TCell : class, IBatchedCell<float>, new()
    {
        var run = TrainMemory(cellName, new TCell(), options, progress);
        runs.Add(run);
        if (run.K1 == run.K2) batchedRuns.Add(BatchedMemoryTraining.Train<TCell>(run, options, progress));
    }

    /// <summary>Trains <paramref name="cell"/> on the delayed-recall task with TBPTT(k1, the cell's k2).</summary>
    private static MemoryRun TrainMemory<TCell>(string cellName, TCell cell, SampleOptions options, IProgressReporter progress)
        where TCell : class, IUnrolledCell<float>
    {
        int k2 = cell.TruncationLength, k1 = options.K1 ?? k2;
        string name = $"{cellName}, k2 = {k2}";
        cell.InitializeParameters((ulong)options.Seed);
        var task = new DelayedRecall(SampleOptions.Delay, options.Seed);
        var (curve, adjointNorms, seconds) = Train(name, cell, k1, options.Steps, options, task.Next, progress);
        double loss = RecallLossOnFreshData(cell, options.Seed);
        return new MemoryRun(name, cellName, k1, k2, options.Steps, curve, loss, adjointNorms, seconds);
    }

    /// <summary>A network trained on the memory task, on fresh bits (the same for every run of a seed), streamed one step at a time.</summary>
    internal static double RecallLossOnFreshData<TCell>(TCell cell, int seed)
        where TCell : class, IUnrolledCell<float>
    {
        var fresh = new DelayedRecall(SampleOptions.Delay, seed + 1000);
        var inputs = new float[EvaluationSteps];
        var targets = new float[EvaluationSteps];
        fresh.Next(inputs, targets);
        return StreamedLoss(cell, inputs, targets, warmUp: SampleOptions.Delay, predictions: null);
    }

    /// <summary>Trains the long-window LSTM on the audio filter, then streams it one step at a time.</summary>
    private static FilterRun TrainFilter(SampleOptions options, IProgressReporter progress)
    {
        var cell = new LstmLong();
        cell.InitializeParameters((ulong)options.Seed + 1);
        var task = new AudioFilter(options.Seed);
        string name = $"LSTM filter, k2 = {LstmLong.TruncationLength}";
        var (curve, _, seconds) = Train(name, cell, options.K1 ?? LstmLong.TruncationLength, options.FilterSteps, options, task.Next, progress);

        // Streaming inference on the continuing signal: one Step per sample, as an audio callback would run it.
        var inputs = new float[EvaluationSteps];
        var targets = new float[EvaluationSteps];
        task.Next(inputs, targets);
        var predictions = new float[EvaluationSteps];
        double loss = StreamedLoss(cell, inputs, targets, warmUp: 0, predictions);
        double mean = 0, variance = 0;
        foreach (float target in targets) mean += target;
        mean /= targets.Length;
        foreach (float target in targets) variance += (target - mean) * (target - mean);
        variance /= targets.Length;

        var latency = StreamingBenchmark.Measure(cell, task, options.StreamSteps);
        return new FilterRun(name, options.FilterSteps, curve, loss, variance,
            inputs[..PlottedSteps], targets[..PlottedSteps], predictions[..PlottedSteps], seconds, latency);
    }

    private static (List<(double, double)> Curve, double[] AdjointNorms, double Seconds) Train<TCell>(
        string name, TCell cell, int k1, long steps, SampleOptions options, SpanAction next, IProgressReporter progress)
        where TCell : class, IUnrolledCell<float>
    {
        long updates = Math.Max(1, steps / k1);
        var recorder = new TrainingRecorder(cell.TruncationLength, updatesPerPoint: (int)Math.Max(1, updates / 200), adjointNormsFromUpdate: updates * 3 / 4);
        var trainer = new TbpttTrainer<TCell, float>(cell, new MeanSquaredError<float>(), new Adam<float>(options.LearningRate), k1,
            new TbpttOptions { MaxGradientNorm = 1.0 })
        {
            Monitor = recorder,
        };

        var inputs = new float[ChunkSteps];
        var targets = new float[ChunkSteps];
        var run = progress.StartRun(name, steps, "steps");
        var clock = Stopwatch.StartNew();
        for (long done = 0; done < steps;)
        {
            int chunk = (int)Math.Min(ChunkSteps, steps - done);
            next(inputs.AsSpan(0, chunk), targets.AsSpan(0, chunk));
            trainer.Run(inputs.AsSpan(0, chunk), targets.AsSpan(0, chunk));
            done += chunk;
            run.Report(done, recorder.LatestLoss, recorder.LatestGradientNorm);
        }

        double seconds = clock.Elapsed.TotalSeconds;
        run.Complete();
        return (recorder.LossCurve, recorder.MeanAdjointNorms(), seconds);
    }

    /// <summary>Streams the inputs through the cell with Step and returns the mean squared error after the warm-up.</summary>
    private static double StreamedLoss<TCell>(TCell cell, float[] inputs, float[] targets, int warmUp, float[]? predictions)
        where TCell : class, IUnrolledCell<float>
    {
        Span<float> output = stackalloc float[1];
        double sum = 0;
        for (int t = 0; t < inputs.Length; t++)
        {
            cell.Step(inputs.AsSpan(t, 1), output);
            if (predictions is not null) predictions[t] = output[0];
            if (t >= warmUp) sum += (output[0] - targets[t]) * (double)(output[0] - targets[t]);
        }

        return sum / (inputs.Length - warmUp);
    }

    /// <summary>Fills inputs and targets with the next steps of a task.</summary>
    internal delegate void SpanAction(Span<float> inputs, Span<float> targets);
}
