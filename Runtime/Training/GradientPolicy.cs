using System;
using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>
/// How every trainer ends an update, once the gradient of its loss is complete: the loss and the gradient checked for
/// NaN and infinity, the gradient clipped (by value, then by global norm), the optimizer stepped, and what to throw
/// when something is not finite. Shared by <see cref="TbpttTrainer{TCell, T}"/> and
/// <see cref="Batching.BatchedTrainer{TCell, T}"/>, so both train alike.
/// </summary>
internal sealed class GradientPolicy<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool _clipByNorm, _clipByValue;
    private readonly T _maxNorm, _maxValue;

    /// <exception cref="ArgumentOutOfRangeException">A clipping threshold is not finite and positive.</exception>
    public GradientPolicy(double? maxGradientNorm, double? maxGradientValue, bool throwOnNonFinite, string maxNormName, string maxValueName)
    {
        (_clipByNorm, _maxNorm) = Threshold(maxGradientNorm, maxNormName);
        (_clipByValue, _maxValue) = Threshold(maxGradientValue, maxValueName);
        ThrowOnNonFinite = throwOnNonFinite;
    }

    /// <summary>Whether a non-finite loss or gradient throws (after the report), instead of only skipping the update.</summary>
    public bool ThrowOnNonFinite { get; }

    /// <summary>
    /// Measures the gradient, decides the outcome and, when the update is to be applied, clips the gradient in place.
    /// </summary>
    public UpdateOutcome CheckAndClip(T loss, Span<T> gradients, out T norm, out bool clipped)
    {
        norm = GradientClipping.GlobalNorm<T>(gradients);
        clipped = false;
        var outcome = !T.IsFinite(loss) ? UpdateOutcome.SkippedNonFiniteLoss
            : !T.IsFinite(norm) ? UpdateOutcome.SkippedNonFiniteGradient
            : UpdateOutcome.Applied;
        if (outcome != UpdateOutcome.Applied)
        {
            return outcome;
        }

        if (_clipByValue)
        {
            clipped = GradientClipping.ClipByValue(gradients, _maxValue);
        }

        if (_clipByNorm)
        {
            T clippedNorm = clipped ? GradientClipping.GlobalNorm<T>(gradients) : norm;
            clipped |= GradientClipping.ClipByNorm(gradients, clippedNorm, _maxNorm);
        }

        return outcome;
    }

    /// <summary>
    /// Ends an update once its report is made: steps the optimizer if the update is applied, tells the monitor, and
    /// throws for a skipped one when <see cref="ThrowOnNonFinite"/> is set.
    /// </summary>
    public void Finish(in UpdateReport<T> report, ITrainingMonitor<T>? monitor, Optimizer<T> optimizer, Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        if (report.Applied)
        {
            Step(optimizer, parameters, gradients);
        }

        monitor?.OnUpdate(in report);
        ThrowIfAsked(report.Outcome, report.Loss, report.GradientNorm);
    }

    /// <summary>Steps the optimizer with the (clipped) gradient; throws if it made a parameter non-finite.</summary>
    private static void Step(Optimizer<T> optimizer, Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        if (!optimizer.Step(parameters, gradients))
        {
            throw new NotFiniteNumberException(
                "The optimizer step produced a NaN or infinite parameter from a finite gradient (is the learning rate too large?). " +
                "The parameters are no longer usable: reinitialise or restore them.");
        }
    }

    /// <summary>Throws for a skipped update when <see cref="ThrowOnNonFinite"/> is set.</summary>
    private void ThrowIfAsked(UpdateOutcome outcome, T loss, T norm)
    {
        if (!ThrowOnNonFinite || outcome == UpdateOutcome.Applied)
        {
            return;
        }

        T value = outcome == UpdateOutcome.SkippedNonFiniteLoss ? loss : norm;
        throw new NotFiniteNumberException(
            (outcome == UpdateOutcome.SkippedNonFiniteLoss ? "The update's loss" : "The norm of the update's gradient") +
            $" is {value}; the update was not applied and the parameters are unchanged.",
            double.CreateSaturating(value));
    }

    private static (bool Enabled, T Value) Threshold(double? value, string name)
    {
        if (value is not double threshold)
        {
            return (false, T.Zero);
        }

        if (!double.IsFinite(threshold) || threshold <= 0)
        {
            throw new ArgumentOutOfRangeException(name, threshold, "A clipping threshold must be finite and positive.");
        }

        return (true, T.CreateChecked(threshold));
    }
}
