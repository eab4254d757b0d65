using System;
using System.Numerics;

namespace UnrolledRnn.Training;

public sealed partial class TbpttTrainer<TCell, T>
{
    /// <summary>
    /// Makes the update that fell due: the window buffers and <see cref="_windowStartState"/> are filled. With
    /// <paramref name="windowIsStream"/> the window's Forward was the stream's: it has just been run from the
    /// window's start, the cell holds its record and the stream's state; otherwise <see cref="_streamState"/>
    /// holds the stream's state, restored at the end. Returns false, changing nothing, when no step of the
    /// update has a target.
    /// </summary>
    private bool Update(bool windowIsStream)
    {
        int lossSteps = (int)Math.Min(_stepsSinceUpdate, _k2);
        _stepsSinceUpdate = 0;
        int firstLossStep = _k2 - lossSteps;
        if (_windowHasTarget.AsSpan(firstLossStep).IndexOf(true) < 0)
        {
            return false;
        }

        if (windowIsStream)
        {
            _cell.State.CopyTo(_streamState);
        }
        else
        {
            // Recompute the window from the state at its start, with the current parameters.
            _windowStartState.CopyTo(_cell.State);
            _cell.Forward(_windowInputs, _windowOutputs);
        }

        // The loss of the steps since the last update, and dL/dy for them; zero for the earlier steps.
        var outputGradients = _windowOutputGradients.AsSpan();
        outputGradients.Clear();
        T loss = T.Zero;
        int lossCount = 0;
        for (int w = firstLossStep; w < _k2; w++)
        {
            if (_windowHasTarget[w])
            {
                loss += _loss.Evaluate(
                    _windowOutputs.AsSpan(w * _outputSize, _outputSize),
                    _windowTargets.AsSpan(w * _targetSize, _targetSize),
                    outputGradients.Slice(w * _outputSize, _outputSize));
                lossCount++;
            }
        }

        // Backpropagate through the whole window; the gradient stops at its start.
        _cell.ZeroGradients();
        int backpropagatedSteps;
        if (_artbp is null)
        {
            _cell.Backward(outputGradients, ReadOnlySpan<T>.Empty, _initialStateGradient, _stateAdjointNorms);
            backpropagatedSteps = _k2;
        }
        else
        {
            backpropagatedSteps = ArtbpBackward();
        }

        _streamState.CopyTo(_cell.State);
        return Apply(loss, lossCount, backpropagatedSteps);
    }

    /// <summary>
    /// Checks the loss and the gradient, and only then touches anything: clips, steps the optimizer, reports.
    /// </summary>
    private bool Apply(T loss, int lossCount, int backpropagatedSteps)
    {
        var gradients = _cell.Gradients;
        T norm = GradientClipping.GlobalNorm<T>(gradients);
        var outcome = !T.IsFinite(loss) ? UpdateOutcome.SkippedNonFiniteLoss
            : !T.IsFinite(norm) ? UpdateOutcome.SkippedNonFiniteGradient
            : UpdateOutcome.Applied;

        bool clipped = false;
        if (outcome == UpdateOutcome.Applied)
        {
            if (_clipByValue)
            {
                clipped = GradientClipping.ClipByValue(gradients, _maxValue);
            }

            if (_clipByNorm)
            {
                T clippedNorm = clipped ? GradientClipping.GlobalNorm<T>(gradients) : norm;
                clipped |= GradientClipping.ClipByNorm(gradients, clippedNorm, _maxNorm);
            }
        }

        var report = new UpdateReport<T>(_updateCount, _totalSteps, loss, lossCount, norm, clipped, outcome,
            backpropagatedSteps, _stateAdjointNorms, _skippedStepsSinceReport, _stateRestoresSinceReport);
        _updateCount++;
        _skippedStepsSinceReport = 0;
        _stateRestoresSinceReport = 0;
        LastReport = report;

        if (outcome != UpdateOutcome.Applied)
        {
            Monitor?.OnUpdate(in report);
            if (_throwOnNonFinite)
            {
                ThrowNonFinite(outcome, outcome == UpdateOutcome.SkippedNonFiniteLoss ? loss : norm);
            }

            return true;
        }

        if (!_optimizer.Step(_cell.Parameters, gradients))
        {
            ThrowNonFiniteParameters();
        }

        Monitor?.OnUpdate(in report);
        return true;
    }

    private static void ThrowNonFinite(UpdateOutcome outcome, T value) =>
        throw new NotFiniteNumberException(
            (outcome == UpdateOutcome.SkippedNonFiniteLoss ? "The update's loss" : "The norm of the update's gradient") +
            $" is {value}; the update was not applied and the parameters are unchanged.",
            double.CreateSaturating(value));

    private static void ThrowNonFiniteParameters() =>
        throw new NotFiniteNumberException(
            "The optimizer step produced a NaN or infinite parameter from a finite gradient (is the learning rate too large?). " +
            "The parameters are no longer usable: reinitialise or restore them.");
}
