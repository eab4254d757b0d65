using System;
using System.Collections.Generic;
using System.Diagnostics;
using UnrolledRnn.Batching;
using UnrolledRnn.Sample.Progress;
using UnrolledRnn.Sample.Tasks;
using UnrolledRnn.Training;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>
/// Throughput of one cell, in stream steps per second, against batch size and threads: training as the memory task
/// trains (TBPTT with k1 = k2, Adam, clipping at norm 1) and streaming inference. Batch 1 is timed twice: through the
/// batched path at B = 1 and through the path a batch-1 user takes (<c>TbpttTrainer</c>, the cell's own <c>Step</c>).
/// Each configuration warms up for the time budget, then makes whole updates (or Step calls) until the budget has
/// passed, timed with a Stopwatch, on delayed-recall data generated before timing. A demonstration under whatever else
/// the machine runs, not a benchmark (docs/performance.md has those).
/// </summary>
public static class ThroughputBenchmark
{
    private const int Windows = 8;            // distinct windows of data per stream, used in turn
    private const int StepCallsPerCheck = 64; // Step calls between looks at the clock

    /// <summary>Times every configuration of <see cref="SampleOptions.ThroughputBatchSizes"/> and <see cref="SampleOptions.ThroughputThreads"/>.</summary>
    public static ThroughputReport Measure<TCell>(string cellName, SampleOptions options, IProgressReporter progress)
        where TCell : class, IBatchedCell<float>, new()
    {
        var budget = TimeSpan.FromMilliseconds(options.ThroughputMilliseconds);
        var batchSizes = SampleOptions.ThroughputBatchSizes;
        var run = progress.StartRun($"Throughput, {cellName}", 2 + batchSizes.Count * (SampleOptions.ThroughputThreads.Count + 1), "configurations");
        var points = new List<ThroughputPoint>();
        void Add(ThroughputPoint point)
        {
            points.Add(point);
            run.Report(points.Count, double.NaN, double.NaN); // timing trains, but reports no loss
        }

        Add(SingleStreamTraining<TCell>(options, budget));
        bool threadsAgree = true;
        foreach (int batch in batchSizes)
        {
            // The first thread count sets the number of updates by the clock; the others make exactly as many, on the
            // same data and the same chunks of B/2 streams, so they must train the same parameters, bit for bit.
            Calls? counts = null;
            float[]? firstParameters = null;
            foreach (int threads in SampleOptions.ThroughputThreads)
            {
                var (point, parameters, calls) = BatchedTraining<TCell>(batch, threads, options, budget, counts);
                Add(point);
                counts ??= calls;
                firstParameters ??= parameters;
                threadsAgree &= parameters.AsSpan().SequenceEqual(firstParameters);
            }
        }

        Add(SingleStreamStep<TCell>(options, budget));
        foreach (int batch in batchSizes) Add(BatchedStep<TCell>(batch, options, budget));
        run.Complete();
        return new ThroughputReport(cellName, points, threadsAgree, options.ThroughputMilliseconds);
    }

    private static ThroughputPoint SingleStreamTraining<TCell>(SampleOptions options, TimeSpan budget)
        where TCell : class, IBatchedCell<float>, new()
    {
        var cell = NewCell<TCell>(options);
        int k2 = cell.TruncationLength;
        var (inputs, targets) = Data(streams: 1, k2, Windows, options.Seed);
        var trainer = new TbpttTrainer<TCell, float>(cell, new MeanSquaredError<float>(), new Adam<float>(options.LearningRate), k2,
            new TbpttOptions { MaxGradientNorm = 1.0 });
        long update = 0;
        var (calls, seconds, allocated) = Time(() =>
        {
            int window = (int)(update++ % Windows) * k2;
            trainer.Run(inputs.AsSpan(window, k2), targets.AsSpan(window, k2)); // one update: k1 = k2
        }, budget, callsPerCheck: 1, counts: null, workerAllocatedBytes: null);
        return new ThroughputPoint(ThroughputPath.SingleStreamTraining, 1, 1, calls.Timed * k2, seconds, calls.Timed, allocated);
    }

    private static (ThroughputPoint Point, float[] Parameters, Calls Calls) BatchedTraining<TCell>(int batch, int threads, SampleOptions options,
        TimeSpan budget, Calls? counts)
        where TCell : class, IBatchedCell<float>, new()
    {
        var cell = NewCell<TCell>(options);
        int k2 = cell.TruncationLength, window = batch * k2;
        var (inputs, targets) = Data(batch, k2, Windows, options.Seed);
        using var trainer = new BatchedTrainer<TCell, float>(cell, new MeanSquaredError<float>(), new Adam<float>(options.LearningRate), batch,
            new BatchedTrainerOptions { StreamsPerChunk = (batch + 1) / 2, Threads = threads, MaxGradientNorm = 1.0 });
        long update = 0;
        var (calls, seconds, allocated) = Time(() =>
        {
            int start = (int)(update++ % Windows) * window;
            trainer.Update(inputs.AsSpan(start, window), targets.AsSpan(start, window));
        }, budget, callsPerCheck: 1, counts, () => trainer.WorkerAllocatedBytes);
        var point = new ThroughputPoint(ThroughputPath.BatchedTraining, batch, threads, calls.Timed * window, seconds, calls.Timed, allocated);
        return (point, cell.Parameters.ToArray(), calls);
    }

    private static ThroughputPoint SingleStreamStep<TCell>(SampleOptions options, TimeSpan budget)
        where TCell : class, IBatchedCell<float>, new()
    {
        var cell = NewCell<TCell>(options);
        var (inputs, _) = Data(streams: 1, steps: 1, StepCallsPerCheck, options.Seed);
        var output = new float[cell.OutputSize];
        long step = 0;
        var (calls, seconds, allocated) = Time(() => cell.Step(inputs.AsSpan((int)(step++ % StepCallsPerCheck), 1), output),
            budget, StepCallsPerCheck, counts: null, workerAllocatedBytes: null);
        return new ThroughputPoint(ThroughputPath.SingleStreamStep, 1, 1, calls.Timed, seconds, calls.Timed, allocated);
    }

    private static ThroughputPoint BatchedStep<TCell>(int batch, SampleOptions options, TimeSpan budget)
        where TCell : class, IBatchedCell<float>, new()
    {
        var cell = NewCell<TCell>(options);
        var streams = new BatchedStreams<TCell, float>(cell, batch);
        var (inputs, _) = Data(batch, steps: 1, StepCallsPerCheck, options.Seed);
        var outputs = new float[batch * cell.OutputSize];
        long step = 0;
        var (calls, seconds, allocated) = Time(() => streams.Step(inputs.AsSpan((int)(step++ % StepCallsPerCheck) * batch, batch), outputs),
            budget, StepCallsPerCheck, counts: null, workerAllocatedBytes: null);
        return new ThroughputPoint(ThroughputPath.BatchedStep, batch, 1, calls.Timed * batch, seconds, calls.Timed, allocated);
    }

    /// <summary>Calls made while warming up and while timed.</summary>
    private readonly record struct Calls(long WarmUp, long Timed);

    /// <summary>
    /// Calls <paramref name="call"/> for the budget (long enough for the JIT's tiers to settle), then times it for the budget (looking at the clock every
    /// <paramref name="callsPerCheck"/> calls); or, given <paramref name="counts"/>, makes exactly those calls. The bytes
    /// allocated while timed are this thread's and, if given, the worker threads'.
    /// </summary>
    private static (Calls Calls, double Seconds, long AllocatedBytes) Time(Action call, TimeSpan budget, int callsPerCheck, Calls? counts,
        Func<long>? workerAllocatedBytes)
    {
        long warmUp = Repeat(call, counts?.WarmUp, budget, callsPerCheck);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread() + (workerAllocatedBytes?.Invoke() ?? 0);
        long start = Stopwatch.GetTimestamp(); // not a Stopwatch instance: it would be counted as allocated
        long timed = Repeat(call, counts?.Timed, budget, callsPerCheck);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() + (workerAllocatedBytes?.Invoke() ?? 0) - allocatedBefore;
        return (new Calls(warmUp, timed), seconds, allocated);
    }

    /// <summary>Makes <paramref name="count"/> calls, or, if null, calls until <paramref name="duration"/> has passed; returns the calls made.</summary>
    private static long Repeat(Action call, long? count, TimeSpan duration, int callsPerCheck)
    {
        long calls = 0;
        if (count is long fixedCount)
        {
            for (; calls < fixedCount; calls++) call();
            return calls;
        }

        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        do
        {
            for (int i = 0; i < callsPerCheck; i++) call();
            calls += callsPerCheck;
        }
        while (Stopwatch.GetTimestamp() < end);
        return calls;
    }

    private static TCell NewCell<TCell>(SampleOptions options)
        where TCell : class, IBatchedCell<float>, new()
    {
        var cell = new TCell();
        cell.InitializeParameters((ulong)options.Seed);
        return cell;
    }

    /// <summary>
    /// Delayed-recall inputs and targets: <paramref name="windows"/> windows of <paramref name="steps"/> steps of
    /// <paramref name="streams"/> streams, window after window, each stream after stream (an update's layout; with
    /// one step per window, a batched Step's).
    /// </summary>
    private static (float[] Inputs, float[] Targets) Data(int streams, int steps, int windows, int seed)
    {
        int window = streams * steps;
        var inputs = new float[windows * window];
        var targets = new float[inputs.Length];
        var tasks = new DelayedRecallStreams(streams, SampleOptions.Delay, seed);
        for (int w = 0; w < windows; w++) tasks.NextWindow(inputs.AsSpan(w * window, window), targets.AsSpan(w * window, window));

        return (inputs, targets);
    }
}
