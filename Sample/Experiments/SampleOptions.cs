using System.Collections.Generic;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>What the sample runs; the defaults are the command line's.</summary>
public sealed record SampleOptions
{
    /// <summary>The truncation lengths the sample's cells are generated with: k2 short of the task's delay, and beyond it.</summary>
    public static readonly IReadOnlyList<int> CompiledTruncationLengths = new[] { Cells.LstmShort.TruncationLength, Cells.LstmLong.TruncationLength };

    /// <summary>The memory task's delay: between the two compiled truncation lengths.</summary>
    public const int Delay = 16;

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

    /// <summary>The seed of parameters and data.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The folder the SVG plots are written to; null: none written.</summary>
    public string? OutputFolder { get; init; } = "sample-output";

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
}
