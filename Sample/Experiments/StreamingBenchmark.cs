using System;
using System.Diagnostics;
using UnrolledRnn.Sample.Tasks;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>Times a trained cell's Step one call at a time, as a real-time loop would call it.</summary>
public static class StreamingBenchmark
{
    private const int WarmUpSteps = 20_000;

    /// <summary>Warms up, then times <paramref name="steps"/> calls of Step on the task's signal.</summary>
    /// <returns>The latency percentiles and the bytes allocated while timing.</returns>
    public static LatencyReport Measure<TCell>(TCell cell, AudioFilter signal, int steps)
        where TCell : class, IUnrolledCell<float>
    {
        // The signal is generated before timing, so only Step is measured.
        var inputs = new float[steps];
        var targets = new float[steps];
        signal.Next(inputs, targets);
        var output = new float[cell.OutputSize];
        var latencies = new long[steps];
        for (int t = 0; t < WarmUpSteps; t++)
        {
            cell.Step(inputs.AsSpan(t % steps, 1), output); // let the JIT reach its optimised tier before timing
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < steps; t++)
        {
            long start = Stopwatch.GetTimestamp();
            cell.Step(inputs.AsSpan(t, 1), output);
            latencies[t] = Stopwatch.GetTimestamp() - start;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Array.Sort(latencies);
        return new LatencyReport(steps, Microseconds(latencies[steps / 2]), Microseconds(latencies[(int)(steps * 0.99)]),
            Microseconds(latencies[^1]), allocated);
    }

    private static double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
