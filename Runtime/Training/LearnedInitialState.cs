using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace UnrolledRnn.Training;

/// <summary>
/// A learned initial state s0 (StateSize values, zero at first), trained like one more parameter of the cell: its
/// gradient is the sum of dL/ds_{-1} over the windows of an update that start a sequence, it counts in the gradient's
/// norm and clipping, and an optimizer of the parameters' type and settings, with its own state, updates it. An
/// update in which no window starts a sequence leaves s0 and its optimizer state alone, as PyTorch does for a
/// parameter whose gradient is None. Shared by both trainers; allocation-free after construction.
/// </summary>
internal sealed class LearnedInitialState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _values, _gradient;
    private readonly Optimizer<T> _parameterOptimizer;
    private bool _hasGradient;

    /// <param name="stateSize">The cell's StateSize.</param>
    /// <param name="parameterOptimizer">The optimizer of the cell's parameters: s0's is a clone of it without state.</param>
    public LearnedInitialState(int stateSize, Optimizer<T> parameterOptimizer)
    {
        _values = new T[stateSize];
        _gradient = new T[stateSize];
        _parameterOptimizer = parameterOptimizer;
        Optimizer = parameterOptimizer.CloneWithoutState();
        Optimizer.Prepare(stateSize);
    }

    /// <summary>The trainer's learned initial state; throws if it has none.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="initialState"/> is null: the option is off.</exception>
    public static LearnedInitialState<T> Require(LearnedInitialState<T>? initialState, string option) =>
        initialState ?? throw new InvalidOperationException(
            $"This trainer has no learned initial state: create it with {option} = true.");

    /// <summary>s0, in the layout of the cell's state.</summary>
    public ReadOnlySpan<T> Values => _values;

    /// <summary>The optimizer of s0: the parameters' type and hyperparameters, its own state and update count.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>The gradient of s0 in the current update; empty when no window of it starts a sequence.</summary>
    public Span<T> Gradient => _hasGradient ? _gradient : Span<T>.Empty;

    /// <summary>Sets s0.</summary>
    /// <exception cref="ArgumentException">The length is not StateSize, or a value is NaN or infinite.</exception>
    public void Set(ReadOnlySpan<T> values, string parameterName)
    {
        SpanGuard.RequireLength(values.Length, _values.Length, parameterName, "StateSize, the cell's");
        NonFiniteGuard.RequireFinite(values, parameterName);
        values.CopyTo(_values);
    }

    /// <summary>Starts an update: no window has contributed to s0's gradient yet.</summary>
    public void ClearGradient()
    {
        _gradient.AsSpan().Clear();
        _hasGradient = false;
    }

    /// <summary>Adds dL/ds_{-1} of windows that start a sequence to s0's gradient.</summary>
    public void AddGradient(ReadOnlySpan<T> initialStateGradient)
    {
        TensorPrimitives.Add(_gradient, initialStateGradient, _gradient);
        _hasGradient = true;
    }

    /// <summary>
    /// Steps s0's optimizer with the (clipped) gradient, at the parameters' current learning rate; returns whether
    /// s0 is still finite.
    /// </summary>
    public bool Step()
    {
        Optimizer.LearningRate = _parameterOptimizer.LearningRate;
        return Optimizer.Step(_values, _gradient);
    }
}
