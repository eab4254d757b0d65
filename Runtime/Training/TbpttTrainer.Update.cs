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

        if (_initialState is not null)
        {
            CollectInitialStateGradient();
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
        var initialStateGradient = _initialState is null ? Span<T>.Empty : _initialState.Gradient;
        var outcome = _policy.CheckAndClip(loss, gradients, initialStateGradient, out T norm, out bool clipped);

        var report = new UpdateReport<T>(_updateCount, _totalSteps, loss, lossCount, norm, clipped, outcome,
            backpropagatedSteps, _stateAdjointNorms, _skippedStepsSinceReport, _stateRestoresSinceReport);
        _updateCount++;
        _skippedStepsSinceReport = 0;
        _stateRestoresSinceReport = 0;
        LastReport = report;
        _policy.Finish(in report, Monitor, _optimizer, _cell.Parameters, gradients, _initialState);
        return true;
    }
}
