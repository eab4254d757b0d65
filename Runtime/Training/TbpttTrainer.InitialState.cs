using System;

namespace UnrolledRnn.Training;

// The learned initial state of the stream (TbpttOptions.LearnInitialState): a sequence starts from s0, and the
// update whose window begins at that start adds its dL/ds_{-1} to s0's gradient.
public sealed partial class TbpttTrainer<TCell, T>
{
    private readonly LearnedInitialState<T>? _initialState;

    /// <summary>
    /// The learned initial state s0 (StateSize elements, the layout of the cell's state), from which every sequence
    /// starts: zero until trained. Save it with the cell (<see cref="Checkpoints.Checkpoint"/>'s overloads that take
    /// an initial state) and start a streamed sequence from it with
    /// <see cref="UnrolledCellExtensions.ResetState{T}(IUnrolledCell{T}, ReadOnlySpan{T})"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="TbpttOptions.LearnInitialState"/> is off.</exception>
    public ReadOnlySpan<T> InitialState => RequireInitialState().Values;

    /// <summary>
    /// The optimizer of s0: a clone of <see cref="Optimizer"/> (same type and hyperparameters, stepped at its
    /// learning rate) with its own state, stepped only by the updates whose window starts a sequence. Null when
    /// <see cref="TbpttOptions.LearnInitialState"/> is off.
    /// </summary>
    public Optimizer<T>? InitialStateOptimizer => _initialState?.Optimizer;

    /// <summary>
    /// The gradient of s0 the last update applied (clipped, if it was), as <c>Cell.Gradients</c> holds the parameters':
    /// StateSize elements, or empty when no window of that update started a sequence.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="TbpttOptions.LearnInitialState"/> is off.</exception>
    public ReadOnlySpan<T> InitialStateGradient => RequireInitialState().Gradient;

    /// <summary>Sets the learned initial state s0, e.g. from a checkpoint; the next <see cref="Reset"/> starts from it.</summary>
    /// <param name="initialState">StateSize finite values, the layout of the cell's state.</param>
    /// <exception cref="ArgumentException">The length is not StateSize, or a value is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException"><see cref="TbpttOptions.LearnInitialState"/> is off.</exception>
    public void SetInitialState(ReadOnlySpan<T> initialState) => RequireInitialState().Set(initialState, nameof(initialState));

    /// <summary>
    /// s0's gradient for the update just backpropagated: dL/ds_{-1} if its window begins where the sequence began
    /// (k2 steps since the reset) and from s0 (not from a state written to <c>Cell.State</c>), else none.
    /// </summary>
    private void CollectInitialStateGradient()
    {
        var initialState = _initialState!;
        initialState.ClearGradient();
        if (_stepsSinceReset == _k2 && _windowStartState.AsSpan().SequenceEqual(initialState.Values))
        {
            initialState.AddGradient(_initialStateGradient);
        }
    }

    private LearnedInitialState<T> RequireInitialState() =>
        LearnedInitialState<T>.Require(_initialState, "TbpttOptions.LearnInitialState");
}
