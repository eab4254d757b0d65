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

/// <summary>Everything the sample trained.</summary>
/// <param name="MemoryRuns">The memory-task runs.</param>
/// <param name="Filter">The streaming filter, or null if not run.</param>
public sealed record SampleResults(IReadOnlyList<MemoryRun> MemoryRuns, FilterRun? Filter);
