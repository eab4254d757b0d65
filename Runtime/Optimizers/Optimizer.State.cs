using System;
using System.Collections.Generic;
using System.Numerics;

namespace UnrolledRnn.Training;

// The optimizer's state, exposed for checkpoints (UnrolledRnn.Checkpoints.OptimizerCheckpoint): the update
// count and named flat buffers laid out like the parameters.
public abstract partial class Optimizer<T>
{
    /// <summary>
    /// The optimizer's state buffers, by name, each <see cref="ParameterCount"/> elements laid out like the
    /// parameters; named as in PyTorch's optimizer state (<c>exp_avg</c>, <c>exp_avg_sq</c>,
    /// <c>momentum_buffer</c>, <c>square_avg</c>). Empty for a stateless optimizer (SGD without momentum);
    /// empty buffers until <see cref="Prepare"/>. Writing through them changes the state.
    /// </summary>
    public IReadOnlyList<OptimizerStateBuffer<T>> StateBuffers => DescribeState();

    /// <summary>
    /// Sets <see cref="StepCount"/>, the t of the bias corrections, when restoring saved state: with
    /// <see cref="StateBuffers"/>, it is the whole state of the optimizer.
    /// </summary>
    /// <param name="stepCount">The number of updates the restored state has seen: not negative.</param>
    public void RestoreStepCount(long stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        StepCount = stepCount;
    }

    /// <summary>The state buffers, by name, as <see cref="StateBuffers"/> returns them.</summary>
    protected abstract IReadOnlyList<OptimizerStateBuffer<T>> DescribeState();
}

/// <summary>One named buffer of an optimizer's state, laid out like the parameters.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <param name="Name">The name, as in PyTorch's optimizer state: <c>exp_avg</c>, <c>momentum_buffer</c>, ...</param>
/// <param name="Values">The buffer itself (not a copy).</param>
public readonly record struct OptimizerStateBuffer<T>(string Name, Memory<T> Values)
    where T : unmanaged, IFloatingPointIeee754<T>;
