using System;
using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>
/// A loss the caller computes itself: each step's target holds dL/dy (OutputSize elements) followed by the
/// step's loss value (one element, reported and checked for NaN, 0 if unknown). The trainer backpropagates
/// that gradient as given.
/// </summary>
/// <typeparam name="T">The element type of the cell.</typeparam>
/// <remarks>
/// The caller computes dL/dy from the output the trainer returned at that step. When k1 &lt; k2 an update
/// recomputes its window with parameters that have changed since (see docs/training.md), so the window's output
/// can differ slightly from the one the gradient was computed at; a loss that must see the recomputed output
/// derives from <see cref="Loss{T}"/> instead.
/// </remarks>
public sealed class SuppliedGradient<T> : Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => outputSize + 1;

    /// <inheritdoc/>
    public override string TargetLayout => "OutputSize + 1: dL/dy, then the loss value";

    /// <inheritdoc/>
    public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
    {
        target.Slice(0, output.Length).CopyTo(outputGradient);
        return target[output.Length];
    }
}
