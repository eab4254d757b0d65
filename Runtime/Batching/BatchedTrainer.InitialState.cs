using System;
using System.Numerics.Tensors;
using UnrolledRnn.Training;

namespace UnrolledRnn.Batching;

// The learned initial state (BatchedTrainerOptions.LearnInitialState): a stream's window that starts a sequence
// starts from s0, and s0's gradient is the sum of those windows' dL/ds_{-1}, per chunk in stream order, then over
// the chunks in chunk order, so that it does not depend on the threads.
public sealed partial class BatchedTrainer<TCell, T>
{
    // With a learned initial state s0: per chunk, dL/ds_{-1} summed over its streams that start a sequence (and
    // whether any does), and its scratch for one stream's.
    private readonly LearnedInitialState<T>? _initialState;
    private readonly T[][] _chunkInitialStateGradient, _chunkStreamStateGradient;
    private readonly bool[] _chunkStartsSequence;

    /// <summary>
    /// The learned initial state s0 (StateSize elements, the layout of the cell's state), from which every sequence
    /// starts: zero until trained. Save it with the cell (<see cref="Checkpoints.Checkpoint"/>'s overloads that take
    /// an initial state) and start a streamed sequence from it with
    /// <see cref="UnrolledCellExtensions.ResetState{T}(IUnrolledCell{T}, ReadOnlySpan{T})"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="BatchedTrainerOptions.LearnInitialState"/> is off.</exception>
    public ReadOnlySpan<T> InitialState => RequireInitialState().Values;

    /// <summary>
    /// The optimizer of s0: a clone of the parameters' optimizer (same type and hyperparameters, stepped at its
    /// learning rate) with its own state, stepped only by the updates in which a window starts a sequence, so its
    /// <see cref="Optimizer{T}.StepCount"/> counts those. Null when <see cref="BatchedTrainerOptions.LearnInitialState"/> is off.
    /// </summary>
    public Optimizer<T>? InitialStateOptimizer => _initialState?.Optimizer;

    /// <summary>
    /// The gradient of s0 the last update applied (clipped, if it was), as <c>Cell.Gradients</c> holds the parameters':
    /// StateSize elements, or empty when no window of that update started a sequence.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="BatchedTrainerOptions.LearnInitialState"/> is off.</exception>
    public ReadOnlySpan<T> InitialStateGradient => RequireInitialState().Gradient;

    /// <summary>Sets the learned initial state s0, e.g. from a checkpoint; the streams that start a sequence at the next update start from it.</summary>
    /// <param name="initialState">StateSize finite values, the layout of the cell's state.</param>
    /// <exception cref="ArgumentException">The length is not StateSize, or a value is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException"><see cref="BatchedTrainerOptions.LearnInitialState"/> is off.</exception>
    public void SetInitialState(ReadOnlySpan<T> initialState) => RequireInitialState().Set(initialState, nameof(initialState));

    /// <summary>dL/ds_{-1} summed, in stream order, over the chunk's streams whose window starts a sequence.</summary>
    private void SumChunkInitialStateGradient(int chunk, BatchWorkspace<T> workspace, int batch)
    {
        var sum = _chunkInitialStateGradient[chunk].AsSpan();
        var streamGradient = _chunkStreamStateGradient[chunk].AsSpan();
        sum.Clear();
        bool any = false;
        for (int s = 0; s < batch; s++)
        {
            if (_startsSequence[chunk * _chunkSize + s])
            {
                workspace.GetInitialStateGradient(s, batch, streamGradient);
                TensorPrimitives.Add<T>(sum, streamGradient, sum);
                any = true;
            }
        }

        _chunkStartsSequence[chunk] = any;
    }

    /// <summary>
    /// s0's gradient for this update: the chunks' sums added in chunk order (so it does not depend on the threads);
    /// the windows that started a sequence are used up.
    /// </summary>
    private void SumInitialStateGradient()
    {
        if (_initialState is null)
        {
            return;
        }

        _initialState.ClearGradient();
        for (int c = 0; c < _chunkCount; c++)
        {
            if (_chunkStartsSequence[c])
            {
                _initialState.AddGradient(_chunkInitialStateGradient[c]);
            }
        }

        _startsSequence.AsSpan().Clear();
    }

    private LearnedInitialState<T> RequireInitialState() =>
        LearnedInitialState<T>.Require(_initialState, "BatchedTrainerOptions.LearnInitialState");
}
