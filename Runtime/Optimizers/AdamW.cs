using System;
using System.Collections.Generic;
using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay, as PyTorch's <c>torch.optim.AdamW</c>.
/// For each parameter p with gradient g, at update t (from 1):
/// <code>
/// p ← p (1 - η λ)
/// m ← β1 m + (1 - β1) g
/// v ← β2 v + (1 - β2) g²
/// p ← p - (η / (1 - β1^t)) · m / (√v / √(1 - β2^t) + ε)
/// </code>
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class AdamW<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _firstMoment = Array.Empty<T>();
    private T[] _secondMoment = Array.Empty<T>();

    /// <summary>Creates the optimizer; the defaults are PyTorch's.</summary>
    /// <param name="learningRate">η: finite, not negative.</param>
    /// <param name="beta1">β1 in [0, 1): the decay of the first moment.</param>
    /// <param name="beta2">β2 in [0, 1): the decay of the second moment.</param>
    /// <param name="epsilon">ε &gt; 0, added to the denominator.</param>
    /// <param name="weightDecay">λ: the decoupled decay, p ← p (1 - η λ) at every update; finite, not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of its range.</exception>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
        : base(learningRate)
    {
        Beta1 = RequireFraction(beta1, nameof(beta1));
        Beta2 = RequireFraction(beta2, nameof(beta2));
        Epsilon = RequirePositive(epsilon, nameof(epsilon));
        WeightDecay = RequireNonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>β1, the decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>β2, the decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the decoupled weight decay.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override Optimizer<T> CloneWithoutState() => new AdamW<T>(LearningRate, Beta1, Beta2, Epsilon, WeightDecay);

    /// <inheritdoc/>
    protected override void AllocateState(int parameterCount)
    {
        _firstMoment = new T[parameterCount];
        _secondMoment = new T[parameterCount];
    }

    /// <inheritdoc/>
    protected override void ClearState()
    {
        _firstMoment.AsSpan().Clear();
        _secondMoment.AsSpan().Clear();
    }

    /// <inheritdoc/>
    protected override bool Apply(Span<T> parameters, ReadOnlySpan<T> gradients, long step) =>
        AdamUpdate.Apply(parameters, gradients, _firstMoment, _secondMoment, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, decoupled: true, step);

    /// <inheritdoc/>
    protected override IReadOnlyList<OptimizerStateBuffer<T>> DescribeState() =>
        new OptimizerStateBuffer<T>[] { new("exp_avg", _firstMoment), new("exp_avg_sq", _secondMoment) };
}
