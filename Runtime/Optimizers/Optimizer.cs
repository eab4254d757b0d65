using System;
using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>
/// Updates a flat parameter vector from its gradient, keeping whatever state it needs (momentum, moment
/// estimates) in buffers allocated once, by <see cref="Prepare"/> or at the first <see cref="Step"/>; an update
/// allocates nothing. One instance serves one parameter vector.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// The update loops run over the whole vector with <see cref="System.Numerics.Vector{T}"/> arithmetic and plain
/// stores (no non-temporal stores, so the parameters stay in cache). Hyperparameters are doubles, converted to
/// <typeparamref name="T"/> once per update.
/// </remarks>
public abstract partial class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _learningRate;

    /// <summary>Creates the optimizer with its step size.</summary>
    /// <param name="learningRate">The step size: finite and not negative.</param>
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    /// <summary>The step size. It may be changed between updates (a schedule); finite and not negative.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = RequireNonNegative(value, nameof(LearningRate));
    }

    /// <summary>The number of updates made since construction or <see cref="ResetState"/> (t in the formulas).</summary>
    public long StepCount { get; private set; }

    /// <summary>The length of the parameter vector this optimizer serves; 0 until prepared.</summary>
    public int ParameterCount { get; private set; }

    /// <summary>
    /// Allocates the optimizer's state for <paramref name="parameterCount"/> parameters, so that no update
    /// allocates. The trainer calls it when constructed; calling it again with the same count does nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    /// <exception cref="InvalidOperationException">The optimizer already serves a vector of another length.</exception>
    public void Prepare(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        if (ParameterCount == parameterCount && StateAllocated)
        {
            return;
        }

        if (StateAllocated)
        {
            throw new InvalidOperationException(
                $"This optimizer serves {ParameterCount} parameters; create another one for a vector of {parameterCount}.");
        }

        AllocateState(parameterCount);
        ParameterCount = parameterCount;
        StateAllocated = true;
    }

    /// <summary>
    /// Makes one update: reads <paramref name="gradients"/> and changes <paramref name="parameters"/> and the
    /// optimizer's state. Returns whether every updated parameter is finite (checked on the way, at no extra pass).
    /// </summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">Their gradient, the same length.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ, or differ from the prepared count.</exception>
    public bool Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        if (!StateAllocated)
        {
            Prepare(parameters.Length);
        }

        SpanGuard.RequireLength(parameters.Length, ParameterCount, nameof(parameters), "the optimizer's ParameterCount");
        SpanGuard.RequireLength(gradients.Length, ParameterCount, nameof(gradients), "the optimizer's ParameterCount");
        StepCount++;
        return Apply(parameters, gradients, StepCount);
    }

    /// <summary>Forgets the state (momentum, moments) and sets <see cref="StepCount"/> to zero; keeps the buffers.</summary>
    public void ResetState()
    {
        StepCount = 0;
        ClearState();
    }

    /// <summary>
    /// A new optimizer of the same type with the same hyperparameters (the current <see cref="LearningRate"/>
    /// included) and no state, for another parameter vector: what PyTorch does when one optimizer is given one more
    /// parameter, which gets its own state. The trainers use it for a learned initial state.
    /// </summary>
    public abstract Optimizer<T> CloneWithoutState();

    private bool StateAllocated { get; set; }

    /// <summary>Allocates the state buffers for <paramref name="parameterCount"/> parameters, all zero.</summary>
    protected abstract void AllocateState(int parameterCount);

    /// <summary>Sets the state buffers to zero.</summary>
    protected abstract void ClearState();

    /// <summary>
    /// Makes update number <paramref name="step"/> (1 for the first) and returns whether every new parameter is
    /// finite. The lengths are already checked.
    /// </summary>
    protected abstract bool Apply(Span<T> parameters, ReadOnlySpan<T> gradients, long step);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless the value is finite and not negative.</summary>
    protected static double RequireNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a finite value, not negative.");
        }

        return value;
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless 0 &lt;= value &lt; 1.</summary>
    protected static double RequireFraction(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a value in [0, 1).");
        }

        return value;
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless the value is finite and positive.</summary>
    protected static double RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a finite positive value.");
        }

        return value;
    }
}
