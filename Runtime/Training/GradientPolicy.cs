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
    /// <paramref name="initialStateGradient"/> is a learned initial state's gradient (empty for none): it counts in
    /// the norm and is clipped with the parameters', as one more parameter.
    /// </summary>
    public UpdateOutcome CheckAndClip(T loss, Span<T> gradients, Span<T> initialStateGradient, out T norm, out bool clipped)
    {
        norm = GlobalNorm(gradients, initialStateGradient);
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
            clipped |= GradientClipping.ClipByValue(initialStateGradient, _maxValue);
        }

        if (_clipByNorm)
        {
            T clippedNorm = clipped ? GlobalNorm(gradients, initialStateGradient) : norm;
            clipped |= GradientClipping.ClipByNorm(gradients, clippedNorm, _maxNorm);
            GradientClipping.ClipByNorm(initialStateGradient, clippedNorm, _maxNorm);
        }

        return outcome;
    }

    /// <summary>
    /// Ends an update once its report is made: steps the optimizer (and the learned initial state's, when it has a
    /// gradient) if the update is applied, tells the monitor, and throws for a skipped one when
    /// <see cref="ThrowOnNonFinite"/> is set.
    /// </summary>
    public void Finish(in UpdateReport<T> report, ITrainingMonitor<T>? monitor, Optimizer<T> optimizer, Span<T> parameters, ReadOnlySpan<T> gradients,
        LearnedInitialState<T>? initialState)
    {
        if (report.Applied)
        {
            RequireFiniteStep(optimizer.Step(parameters, gradients), "a parameter");
            if (initialState is not null && !initialState.Gradient.IsEmpty)
            {
                RequireFiniteStep(initialState.Step(), "the learned initial state");
            }
        }

        monitor?.OnUpdate(in report);
        ThrowIfAsked(report.Outcome, report.Loss, report.GradientNorm);
    }

    /// <summary>The global norm of the parameters' gradient and the initial state's (empty for none) together.</summary>
    private static T GlobalNorm(ReadOnlySpan<T> gradients, ReadOnlySpan<T> initialStateGradient)
    {
        T norm = GradientClipping.GlobalNorm(gradients);
        return initialStateGradient.IsEmpty ? norm : T.Hypot(norm, GradientClipping.GlobalNorm(initialStateGradient));
    }

    /// <summary>Throws if an optimizer step made a value non-finite from a finite gradient.</summary>
    private static void RequireFiniteStep(bool finite, string what)
    {
        if (!finite)
        {
            throw new NotFiniteNumberException(
                $"The optimizer step produced a NaN or infinite value in {what} from a finite gradient (is the learning rate too large?). " +
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
