using System;
using System.Collections.Generic;
using System.Linq;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>What the sample runs; the defaults are the command line's.</summary>
public sealed record SampleOptions
{
    /// <summary>The truncation lengths the sample's cells are generated with: k2 short of the task's delay, and beyond it.</summary>
    public static readonly IReadOnlyList<int> CompiledTruncationLengths = new[] { Cells.LstmShort.TruncationLength, Cells.LstmLong.TruncationLength };

    /// <summary>The memory task's delay: between the two compiled truncation lengths.</summary>
    public const int Delay = 16;

    /// <summary>B of the memory task trained batched: the streams, each its own delayed-recall stream, trained in lockstep.</summary>
    public const int BatchedStreams = 16;

    /// <summary>The threads that train the batched memory task (two chunks of B/2 streams; the results do not depend on it).</summary>
    public const int BatchedThreads = 2;

    /// <summary>The batch sizes of the throughput experiment.</summary>
    public static readonly IReadOnlyList<int> ThroughputBatchSizes = new[] { 1, 8, 64 };

    /// <summary>The thread counts of the throughput experiment.</summary>
    public static readonly IReadOnlyList<int> ThroughputThreads = new[] { 1, 2 };

    /// <summary>The values <see cref="Cell"/> accepts.</summary>
    public static readonly IReadOnlyList<string> CellChoices = new[] { "lstm", "elman", "both" };

    /// <summary>The cells to train on the memory task: "lstm", "elman" or "both".</summary>
    public string Cell { get; init; } = "both";

    /// <summary>k1, steps between updates; null: k1 = k2 for each run.</summary>
    public int? K1 { get; init; }

    /// <summary>The k2 to run (one of <see cref="CompiledTruncationLengths"/>); null: all of them.</summary>
    public int? K2 { get; init; }

    /// <summary>Training steps of each memory-task run.</summary>
    public long Steps { get; init; } = 1_500_000;

    /// <summary>Training steps of the streaming filter.</summary>
    public long FilterSteps { get; init; } = 300_000;

    /// <summary>Steps timed one by one in the streaming benchmark.</summary>
    public int StreamSteps { get; init; } = 100_000;

    /// <summary>Milliseconds timed per configuration of the throughput experiment, after a warm-up as long; 0 skips it.</summary>
    public int ThroughputMilliseconds { get; init; } = 250;

    /// <summary>The seed of parameters and data.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The folder the SVG plots are written to; null: none written.</summary>
    public string? OutputFolder { get; init; } = "sample-output";

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Checks every option's range, before anything runs.</summary>
    /// <exception cref="ArgumentException">An option is out of range: the message names the option, the value given and what is expected.</exception>
    public void Validate()
    {
        if (!CellChoices.Contains(Cell))
        {
            throw new ArgumentException($"--cell must be {Alternatives(CellChoices)}, not '{Cell}'.");
        }

        if (K2 is int k2 && !CompiledTruncationLengths.Contains(k2))
        {
            throw new ArgumentException(
                $"--k2 {k2} is not available: the sample's cells are generated with k2 = {Alternatives(CompiledTruncationLengths)} " +
                "([UnrolledCell(k2)] fixes it at compile time). Add a cell class in Sample/Cells for another k2.");
        }

        if (K1 is < 1)
        {
            throw new ArgumentException($"--k1 must be at least 1, not {K1}.");
        }

        if (Steps < 1)
        {
            throw new ArgumentException($"--steps must be at least 1, not {Steps}.");
        }

        if (FilterSteps < 0)
        {
            throw new ArgumentException($"--filter-steps must be at least 0 (0 skips the filter), not {FilterSteps}.");
        }

        if (StreamSteps < 100)
        {
            throw new ArgumentException($"StreamSteps must be at least 100, not {StreamSteps}.");
        }

        if (ThroughputMilliseconds < 0)
        {
            throw new ArgumentException($"--throughput-ms must be at least 0 (0 skips the throughput experiment), not {ThroughputMilliseconds}.");
        }

        if (OutputFolder is not null && OutputFolder.Trim().Length == 0)
        {
            throw new ArgumentException($"--output must name a folder, not '{OutputFolder}'.");
        }
    }

    /// <summary>"a, b or c": the values an option accepts, for its help and its errors.</summary>
    public static string Alternatives<T>(IReadOnlyList<T> values) =>
        values.Count == 1 ? $"{values[0]}" : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";
}
