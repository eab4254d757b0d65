using System;
using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>
/// The loss of one time step and its gradient with respect to the step's output. The trainer sums the losses
/// of the steps an update covers; it calls <see cref="Evaluate"/> once per step with a target (a virtual call per
/// step, never per element).
/// </summary>
/// <typeparam name="T">The element type of the cell: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Derive from this class for a loss the library does not offer: <see cref="Evaluate"/> receives the output the
/// window recomputed and fills dL/dy. <see cref="SuppliedGradient{T}"/> covers the other case, where the caller
/// has already computed dL/dy itself.
/// </remarks>
public abstract class Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of elements of one step's target, for a cell with <paramref name="outputSize"/> outputs.</summary>
    public abstract int TargetSize(int outputSize);

    /// <summary>What one step's target holds, as named in length errors, e.g. "OutputSize".</summary>
    public abstract string TargetLayout { get; }

    /// <summary>
    /// Checks the values of one step's target when the trainer receives it (its length is already checked, and
    /// its values are finite: the trainer refuses NaN and infinity itself), so that a bad target fails at once
    /// rather than at the next update. The default accepts everything.
    /// </summary>
    /// <param name="target">One step's target: <see cref="TargetSize"/> elements.</param>
    /// <param name="outputSize">The cell's output size.</param>
    public virtual void ValidateTarget(ReadOnlySpan<T> target, int outputSize)
    {
    }

    /// <summary>
    /// Returns the loss of one step and writes its gradient with respect to the output into
    /// <paramref name="outputGradient"/>.
    /// </summary>
    /// <param name="output">y_t: the cell's output at the step, OutputSize elements.</param>
    /// <param name="target">The step's target: <see cref="TargetSize"/> elements, already validated.</param>
    /// <param name="outputGradient">Receives dL/dy_t: OutputSize elements.</param>
    public abstract T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient);
}
