using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Training;

// NaN and infinity in the stream: a step whose input or target is not finite is refused before it touches
// anything (thrown, or skipped with TbpttOptions.SkipNonFiniteSteps), and a state that overflows inside the cell
// is put back to the state before the step, from the ring. See docs/training.md, "Bad input".
public sealed partial class TbpttTrainer<TCell, T>
{
    private long _skippedStepsSinceReport;
    private long _stateRestoresSinceReport;

    /// <summary>
    /// The steps skipped since construction because their input or target held a NaN or an infinity (with
    /// <see cref="TbpttOptions.SkipNonFiniteSteps"/>). They are not counted in <see cref="StepsSinceReset"/>.
    /// </summary>
    public long SkippedStepCount { get; private set; }

    /// <summary>
    /// The steps since construction that left a NaN or an infinity in the state although their input was finite
    /// (the cell overflowed): each time, the trainer put back the state from before the step and went on.
    /// </summary>
    public long StateRestoreCount { get; private set; }

    /// <summary>The first step from <paramref name="from"/> on whose values are not all finite; the step count if none.</summary>
    private static int NextNonFiniteStep(ReadOnlySpan<T> values, int stepSize, int from)
    {
        int index = NonFiniteGuard.IndexOfNonFinite(values.Slice(from * stepSize));
        return index < 0 ? values.Length / stepSize : from + index / stepSize;
    }

    /// <summary>
    /// A step whose input or target is not finite, before anything is touched: throws, or (with
    /// <see cref="TbpttOptions.SkipNonFiniteSteps"/>) counts it and fills its output with NaN.
    /// <paramref name="stepInRun"/> is the step's index in the span given to Run, -1 for Step.
    /// </summary>
    private void RejectNonFiniteStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, int stepInRun, Span<T> output)
    {
        if (!_skipNonFiniteSteps)
        {
            ThrowNonFiniteStep(input, target, stepInRun);
        }

        _skippedStepsSinceReport++;
        SkippedStepCount++;
        output.Fill(T.NaN);
    }

    /// <summary>
    /// The step just taken left a NaN or an infinity in the state: put back the state from before it (its ring
    /// snapshot), which is finite, since every state the trainer lets through is, unless the caller wrote it.
    /// </summary>
    private void RestoreStateBefore(ReadOnlySpan<T> stateBefore)
    {
        stateBefore.CopyTo(_cell.State);
        int element = NonFiniteGuard.IndexOfNonFinite(stateBefore);
        if (element >= 0)
        {
            ThrowNonFiniteStateBefore(element, stateBefore[element]);
        }

        _stateRestoresSinceReport++;
        StateRestoreCount++;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNonFiniteStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, int stepInRun)
    {
        int element = NonFiniteGuard.IndexOfNonFinite(input);
        bool inInput = element >= 0;
        var values = inInput ? input : target;
        element = inInput ? element : NonFiniteGuard.IndexOfNonFinite(target);
        string what = inInput ? "input" : "target";
        string name = stepInRun < 0 ? what : what + "s";
        int index = stepInRun < 0 ? element : stepInRun * values.Length + element;
        string step = stepInRun < 0 ? "the step" : $"step {stepInRun} of the run";
        string taken = stepInRun switch
        {
            < 0 => "The step was not taken: the state, the window and the parameters are as they were.",
            0 => "No step of the run was taken: the state, the window and the parameters are as they were.",
            _ => $"Steps 0 to {stepInRun - 1} of the run were taken; this step and those after it were not, and the state, " +
                 "the window and the parameters are as the step before it left them.",
        };
        throw new ArgumentException(
            $"{name}[{index}] is {values[element]}: element {element} of the {what} of {step} ({Position()}) is not finite. " +
            $"{taken} Set TbpttOptions.SkipNonFiniteSteps to skip such steps instead.",
            name);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNonFiniteStateBefore(int element, T value) =>
        throw new InvalidOperationException(
            $"Cell.State[{element}] was already {value} before the trainer's {Position()}: the state was written, or the cell stepped " +
            "outside the trainer, with a non-finite value. The step was not taken; call Reset() or write a finite Cell.State.");

    /// <summary>Where the next step is in the stream, as messages name it.</summary>
    private string Position() => $"step {_stepsSinceReset + 1} since the last Reset, {_totalSteps + 1} since the trainer was created";
}
