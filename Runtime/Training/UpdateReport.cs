using System;
using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>What became of an update.</summary>
public enum UpdateOutcome
{
    /// <summary>The gradient was clipped if asked and the optimizer step was applied.</summary>
    Applied,

    /// <summary>The loss was NaN or infinite: parameters and optimizer state were left as they were.</summary>
    SkippedNonFiniteLoss,

    /// <summary>The gradient held a NaN or an infinity: parameters and optimizer state were left as they were.</summary>
    SkippedNonFiniteGradient,
}

/// <summary>
/// What one update of <see cref="TbpttTrainer{TCell, T}"/> did and measured. A value type, made without
/// allocating; <see cref="StateAdjointNorms"/> views a buffer the trainer reuses, overwritten by the next update
/// (copy it to keep it).
/// </summary>
/// <typeparam name="T">The element type of the cell.</typeparam>
public readonly struct UpdateReport<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal UpdateReport(long updateIndex, long stepIndex, T loss, int lossSteps, T gradientNorm, bool clipped,
        UpdateOutcome outcome, int backpropagatedSteps, ReadOnlyMemory<T> stateAdjointNorms, long skippedSteps, long stateRestores)
    {
        UpdateIndex = updateIndex;
        StepIndex = stepIndex;
        Loss = loss;
        LossSteps = lossSteps;
        GradientNorm = gradientNorm;
        Clipped = clipped;
        Outcome = outcome;
        BackpropagatedSteps = backpropagatedSteps;
        StateAdjointNorms = stateAdjointNorms;
        SkippedSteps = skippedSteps;
        StateRestores = stateRestores;
    }

    /// <summary>The number of updates the trainer made before this one (0 for the first), skipped ones included.</summary>
    public long UpdateIndex { get; }

    /// <summary>The number of steps the trainer had consumed when it made this update, this step included.</summary>
    public long StepIndex { get; }

    /// <summary>The sum of the losses of the steps this update covered (those with a target), at the parameters before the update.</summary>
    public T Loss { get; }

    /// <summary>The number of steps whose loss <see cref="Loss"/> sums: the covered steps that had a target.</summary>
    public int LossSteps { get; }

    /// <summary>The global (Euclidean) norm of the whole gradient, before clipping.</summary>
    public T GradientNorm { get; }

    /// <summary>Whether clipping (by norm or by value) changed the gradient.</summary>
    public bool Clipped { get; }

    /// <summary>Whether the optimizer step was applied or why it was not.</summary>
    public UpdateOutcome Outcome { get; }

    /// <summary>Whether the optimizer step was applied (<see cref="Outcome"/> is <see cref="UpdateOutcome.Applied"/>).</summary>
    public bool Applied => Outcome == UpdateOutcome.Applied;

    /// <summary>
    /// How many steps back from the end of the window the gradient flowed: k2 for truncated BPTT, the drawn
    /// truncation length for ARTBP.
    /// </summary>
    public int BackpropagatedSteps { get; }

    /// <summary>
    /// k2 norms: element k is ‖dL/ds‖ for the state produced k steps before the end of the window (k = 0: the
    /// state after the last step), counting every path from that state to this update's loss. For ARTBP, the
    /// norm of the compensated adjoint the estimate propagates, 0 beyond the truncation. How fast they shrink or
    /// grow with k shows vanishing or exploding gradients.
    /// </summary>
    public ReadOnlyMemory<T> StateAdjointNorms { get; }

    /// <summary>
    /// The steps skipped since the previous report because their input or target held a NaN or an infinity (with
    /// <see cref="TbpttOptions.SkipNonFiniteSteps"/>; without it such a step throws). Not counted in <see cref="StepIndex"/>.
    /// </summary>
    public long SkippedSteps { get; }

    /// <summary>
    /// The steps since the previous report whose new state was NaN or infinite (the cell overflowed on a finite
    /// input): the trainer put back the state from before each of them and went on. Their outputs are as the cell
    /// computed them.
    /// </summary>
    public long StateRestores { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"update {UpdateIndex} at step {StepIndex}: {Outcome}, loss {Loss} over {LossSteps} steps, gradient norm {GradientNorm}{(Clipped ? " (clipped)" : "")}, backpropagated {BackpropagatedSteps} steps" +
        (SkippedSteps > 0 ? $", {SkippedSteps} non-finite steps skipped" : "") +
        (StateRestores > 0 ? $", {StateRestores} overflowed states restored" : "");
}
