using System;
using System.Collections.Generic;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>One training run on the memory task.</summary>
/// <param name="Name">"LSTM, k2 = 4" and so on.</param>
/// <param name="Cell">"LSTM" or "Elman".</param>
/// <param name="K1">Steps between updates.</param>
/// <param name="K2">The truncation length.</param>
/// <param name="Steps">Training steps.</param>
/// <param name="LossCurve">(step, mean loss per step) through training.</param>
/// <param name="FinalLoss">Mean squared error per step on fresh data after training (1 = no memory at all).</param>
/// <param name="AdjointNorms">Mean ‖dL/ds‖ by steps back over the last part of training.</param>
/// <param name="Seconds">Wall time of the training.</param>
public sealed record MemoryRun(string Name, string Cell, int K1, int K2, long Steps, IReadOnlyList<(double Step, double Loss)> LossCurve,
    double FinalLoss, double[] AdjointNorms, double Seconds)
{
    /// <summary>Training steps per second.</summary>
    public double StepsPerSecond => Steps / Seconds;
}

/// <summary>The streaming filter: its training and its inference one step at a time.</summary>
/// <param name="Name">What was trained.</param>
/// <param name="Steps">Training steps.</param>
/// <param name="LossCurve">(step, mean loss per step) through training.</param>
/// <param name="FinalLoss">Mean squared error per step of the streamed predictions.</param>
/// <param name="TargetVariance">The variance of the target over the same steps (the loss of predicting its mean).</param>
/// <param name="Inputs">A stretch of the streamed input.</param>
/// <param name="Targets">The targets over that stretch.</param>
/// <param name="Predictions">The streamed predictions over that stretch.</param>
/// <param name="Seconds">Wall time of the training.</param>
/// <param name="Latency">The timing of streaming inference.</param>
public sealed record FilterRun(string Name, long Steps, IReadOnlyList<(double Step, double Loss)> LossCurve, double FinalLoss, double TargetVariance,
    float[] Inputs, float[] Targets, float[] Predictions, double Seconds, LatencyReport Latency);

/// <summary>Per-step latency of streaming inference.</summary>
/// <param name="Steps">Steps timed.</param>
/// <param name="P50Microseconds">Median.</param>
/// <param name="P99Microseconds">99th percentile.</param>
/// <param name="MaxMicroseconds">Slowest step.</param>
/// <param name="AllocatedBytes">Bytes allocated by this thread over the timed steps.</param>
public sealed record LatencyReport(int Steps, double P50Microseconds, double P99Microseconds, double MaxMicroseconds, long AllocatedBytes);

/// <summary>Everything the sample trained and timed.</summary>
/// <param name="MemoryRuns">The memory-task runs.</param>
/// <param name="BatchedRuns">The memory-task runs with a window longer than the delay, trained again on many streams at once.</param>
/// <param name="Filter">The streaming filter, or null if not run.</param>
/// <param name="Throughput">Throughput against batch size and threads, or null if not run.</param>
public sealed record SampleResults(IReadOnlyList<MemoryRun> MemoryRuns, IReadOnlyList<BatchedMemoryRun> BatchedRuns, FilterRun? Filter,
    ThroughputReport? Throughput);

/// <summary>A memory-task run trained on many streams at once, beside the single-stream run it is compared with.</summary>
/// <param name="Name">"LSTM, k2 = 32, B = 16" and so on.</param>
/// <param name="SingleStreamName">The name of the single-stream run it is compared with.</param>
/// <param name="BatchSize">B: the streams trained in lockstep, each its own delayed-recall stream.</param>
/// <param name="Threads">The threads that ran the chunks of the batch (the results do not depend on it).</param>
/// <param name="LearningRate">Adam's learning rate: the single-stream run's times √B.</param>
/// <param name="StreamSteps">Training steps summed over the streams: the single-stream run's steps.</param>
/// <param name="Updates">Updates made: one per window of k2 steps of every stream.</param>
/// <param name="FinalLoss">Mean squared error per step on the single-stream run's fresh data after training.</param>
/// <param name="SingleStreamLoss">The single-stream run's final loss on the same data.</param>
/// <param name="Seconds">Wall time of the training.</param>
public sealed record BatchedMemoryRun(string Name, string SingleStreamName, int BatchSize, int Threads, double LearningRate, long StreamSteps,
    long Updates, double FinalLoss, double SingleStreamLoss, double Seconds)
{
    /// <summary>
    /// How much higher than the single-stream run's the batched run's final loss may be and still match its quality:
    /// 5 % of the loss of no memory at all (1).
    /// </summary>
    public const double MatchTolerance = 0.05;

    /// <summary>Stream steps per second.</summary>
    public double StepsPerSecond => StreamSteps / Seconds;

    /// <summary>Whether the batched run reached the single-stream run's quality (within <see cref="MatchTolerance"/>).</summary>
    public bool Matches => FinalLoss <= SingleStreamLoss + MatchTolerance;
}

/// <summary>One timed configuration of the throughput experiment.</summary>
/// <param name="Path">What ran: the single-stream trainer, the batched trainer, the single-stream Step or the batched one.</param>
/// <param name="BatchSize">Streams per call.</param>
/// <param name="Threads">Threads that ran it.</param>
/// <param name="StreamSteps">Stream steps timed (summed over the streams).</param>
/// <param name="Seconds">The time they took.</param>
/// <param name="Calls">Updates (training) or Step calls (inference) timed.</param>
/// <param name="AllocatedBytes">Bytes allocated over the timed calls, worker threads included.</param>
public sealed record ThroughputPoint(ThroughputPath Path, int BatchSize, int Threads, long StreamSteps, double Seconds, long Calls, long AllocatedBytes)
{
    /// <summary>Stream steps per second.</summary>
    public double StepsPerSecond => StreamSteps / Seconds;

    /// <summary>Bytes allocated per update or per Step call.</summary>
    public double AllocatedBytesPerCall => (double)AllocatedBytes / Calls;
}

/// <summary>The code path a throughput figure measures.</summary>
public enum ThroughputPath
{
    /// <summary><c>TbpttTrainer</c>: what a batch-1 user trains with.</summary>
    SingleStreamTraining,

    /// <summary><c>BatchedTrainer</c>.</summary>
    BatchedTraining,

    /// <summary>The cell's own <c>Step</c>: what a batch-1 user streams with.</summary>
    SingleStreamStep,

    /// <summary><c>BatchedStreams.Step</c>.</summary>
    BatchedStep,
}

/// <summary>The names of the throughput experiment's code paths, for its table and its plot.</summary>
public static class ThroughputPaths
{
    /// <summary>"TbpttTrainer (batch-1 path)" and so on.</summary>
    public static string Label(this ThroughputPath path) => path switch
    {
        ThroughputPath.SingleStreamTraining => "TbpttTrainer (batch-1 path)",
        ThroughputPath.BatchedTraining => "BatchedTrainer",
        ThroughputPath.SingleStreamStep => "cell.Step (batch-1 path)",
        _ => "BatchedStreams.Step",
    };

    /// <summary>Whether the path trains (the others stream).</summary>
    public static bool Trains(this ThroughputPath path) => path is ThroughputPath.SingleStreamTraining or ThroughputPath.BatchedTraining;
}

/// <summary>Throughput against batch size and threads, training and streaming inference, of one cell.</summary>
/// <param name="CellName">The cell timed.</param>
/// <param name="Points">Every configuration timed.</param>
/// <param name="ThreadsAgree">Whether 1 and 2 threads trained bit-identical parameters at every batch size.</param>
/// <param name="TimedMilliseconds">The time budget of each configuration, after a warm-up as long.</param>
public sealed record ThroughputReport(string CellName, IReadOnlyList<ThroughputPoint> Points, bool ThreadsAgree, int TimedMilliseconds)
{
    /// <summary>The batch-1 path's figure that <paramref name="point"/> compares with: the single-stream trainer's or Step's.</summary>
    public ThroughputPoint BatchOnePathOf(ThroughputPoint point)
    {
        var path = point.Path.Trains() ? ThroughputPath.SingleStreamTraining : ThroughputPath.SingleStreamStep;
        foreach (var candidate in Points)
        {
            if (candidate.Path == path) return candidate;
        }

        throw new InvalidOperationException($"The report has no {path.Label()} figure.");
    }
}
