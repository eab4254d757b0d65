using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace UnrolledRnn.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, with PyTorch's
/// <c>torch.optim.SGD</c> semantics (dampening 0). For each parameter p with gradient g:
/// <code>
/// g ← g + λ p                       (weight decay λ)
/// b ← μ b + g                       (momentum μ; b starts at 0, so b = g at the first step)
/// g ← g + μ b   if Nesterov, else g ← b   (only when μ &gt; 0)
/// p ← p - η g                       (learning rate η)
/// </code>
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _momentumBuffer = Array.Empty<T>();

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η: finite, not negative.</param>
    /// <param name="momentum">μ in [0, 1); 0 for plain SGD.</param>
    /// <param name="nesterov">Nesterov momentum; needs μ &gt; 0.</param>
    /// <param name="weightDecay">λ: the L2 penalty added to the gradient; finite, not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of its range.</exception>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(learningRate)
    {
        Momentum = RequireFraction(momentum, nameof(momentum));
        WeightDecay = RequireNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Nesterov momentum needs a momentum above 0.");
        }

        Nesterov = nesterov;
    }

    /// <summary>μ, the momentum.</summary>
    public double Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override Optimizer<T> CloneWithoutState() => new Sgd<T>(LearningRate, Momentum, Nesterov, WeightDecay);

    /// <inheritdoc/>
    protected override void AllocateState(int parameterCount) =>
        _momentumBuffer = Momentum > 0 ? new T[parameterCount] : Array.Empty<T>();

    /// <inheritdoc/>
    protected override void ClearState() => _momentumBuffer.AsSpan().Clear();

    /// <inheritdoc/>
    protected override bool Apply(Span<T> parameters, ReadOnlySpan<T> gradients, long step)
    {
        T learningRate = T.CreateChecked(LearningRate), decay = T.CreateChecked(WeightDecay), momentum = T.CreateChecked(Momentum);
        bool useMomentum = Momentum > 0, nesterov = Nesterov;
        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T b = ref MemoryMarshal.GetArrayDataReference(_momentumBuffer);
        int n = parameters.Length, i = 0;
        var finiteProbe = Vector<T>.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vLearningRate = new Vector<T>(learningRate);
            var vDecay = new Vector<T>(decay);
            var vMomentum = new Vector<T>(momentum);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pi = Vector.LoadUnsafe(ref p, (nuint)i);
                var gi = Vector.LoadUnsafe(ref g, (nuint)i) + vDecay * pi;
                if (useMomentum)
                {
                    var bi = vMomentum * Vector.LoadUnsafe(ref b, (nuint)i) + gi;
                    bi.StoreUnsafe(ref b, (nuint)i);
                    gi = nesterov ? gi + vMomentum * bi : bi;
                }

                pi -= vLearningRate * gi;
                pi.StoreUnsafe(ref p, (nuint)i);
                finiteProbe += pi - pi; // 0 for a finite value, NaN otherwise
            }
        }

        T probe = T.Zero;
        for (; i < n; i++)
        {
            T pi = parameters[i];
            T gi = gradients[i] + decay * pi;
            if (useMomentum)
            {
                T bi = momentum * _momentumBuffer[i] + gi;
                _momentumBuffer[i] = bi;
                gi = nesterov ? gi + momentum * bi : bi;
            }

            pi -= learningRate * gi;
            parameters[i] = pi;
            probe += pi - pi;
        }

        return probe == T.Zero && Vector.EqualsAll(finiteProbe, Vector<T>.Zero);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<OptimizerStateBuffer<T>> DescribeState() =>
        Momentum > 0 ? new OptimizerStateBuffer<T>[] { new("momentum_buffer", _momentumBuffer) } : Array.Empty<OptimizerStateBuffer<T>>();
}
