namespace UnrolledRnn.Batching;

/// <summary>The optional settings of a <see cref="BatchedTrainer{TCell, T}"/>.</summary>
public sealed class BatchedTrainerOptions
{
    /// <summary>
    /// The streams of one chunk: the batch is split into chunks of this many streams (the last one may be smaller),
    /// each run as one batched window with its own workspace and gradient, and the chunks' gradients are summed in
    /// chunk order. The chunks do not depend on <see cref="Threads"/>, so neither do the results. Default 32.
    /// </summary>
    public int StreamsPerChunk { get; init; } = 32;

    /// <summary>Threads that run the chunks, the calling one included; the others are created once, with the trainer. Default 1.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Clip by global norm, as <see cref="Training.TbpttOptions.MaxGradientNorm"/>. Null: off.</summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>Clip by value, as <see cref="Training.TbpttOptions.MaxGradientValue"/>. Null: off.</summary>
    public double? MaxGradientValue { get; init; }

    /// <summary>Throw when a loss or gradient is NaN or infinite, as <see cref="Training.TbpttOptions.ThrowOnNonFinite"/>.</summary>
    public bool ThrowOnNonFinite { get; init; }

    /// <summary>
    /// Learn the initial state s0 (StateSize values, zero at first) as a parameter: every stream starts from it,
    /// <see cref="BatchedTrainer{TCell, T}.ResetStream"/> sets a stream back to it, and its gradient is the sum of
    /// dL/ds_{-1} over the windows that start a sequence (docs/training.md, "Learned initial state"). Default off:
    /// a sequence starts from zero.
    /// </summary>
    public bool LearnInitialState { get; init; }
}
