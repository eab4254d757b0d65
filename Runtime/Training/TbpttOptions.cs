namespace UnrolledRnn.Training;

/// <summary>The optional settings of a <see cref="TbpttTrainer{TCell, T}"/>; every default is "off".</summary>
public sealed class TbpttOptions
{
    /// <summary>
    /// k2, if given: must equal the cell's <c>TruncationLength</c> (the generated window is fixed at compile
    /// time), or the trainer throws an <see cref="System.ArgumentOutOfRangeException"/>. Null: the cell's.
    /// </summary>
    public int? TruncationLength { get; init; }

    /// <summary>Clip by global norm: a gradient whose norm exceeds this is scaled to exactly this norm. Null: off.</summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>
    /// Clip by value: every gradient element is clamped to [-value, value], before any clipping by norm. Null: off.
    /// </summary>
    public double? MaxGradientValue { get; init; }

    /// <summary>
    /// Throw a <see cref="System.NotFiniteNumberException"/> when a loss or gradient is NaN or infinite, instead of
    /// skipping the update and saying so in the report. Either way the parameters are left untouched.
    /// </summary>
    public bool ThrowOnNonFinite { get; init; }

    /// <summary>
    /// What to do with a step whose input or target holds a NaN or an infinity. False (the default): throw an
    /// <see cref="System.ArgumentException"/> naming the step and the element, before the step touches anything.
    /// True: skip the step as if it were not in the stream, and count it (<see cref="UpdateReport{T}.SkippedSteps"/>,
    /// <see cref="TbpttTrainer{TCell, T}.SkippedStepCount"/>). See docs/training.md, "Bad input".
    /// </summary>
    public bool SkipNonFiniteSteps { get; init; }

    /// <summary>
    /// Learn the initial state s0 (StateSize values, zero at first) as a parameter: the stream starts from it, at
    /// construction and at every <see cref="TbpttTrainer{TCell, T}.Reset"/>, and the update whose window begins at
    /// the start of a sequence adds its dL/ds_{-1} to s0's gradient (docs/training.md, "Learned initial state").
    /// With k1 &gt; k2 no window begins there, so s0 is never trained. Not with <see cref="Artbp"/>. Default off.
    /// </summary>
    public bool LearnInitialState { get; init; }

    /// <summary>Train with ARTBP's randomized truncation and compensation instead of plain truncated BPTT. Null: off.</summary>
    public ArtbpSchedule? Artbp { get; init; }

    /// <summary>The seed of the random truncations of ARTBP: the same seed gives the same truncations.</summary>
    public int ArtbpSeed { get; init; }
}
