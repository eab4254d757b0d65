using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace UnrolledRnn.Training;

/// <summary>
/// RMSprop (Hinton's lecture notes, 2012) as PyTorch's <c>torch.optim.RMSprop</c> (not centered). For each
/// parameter p with gradient g:
/// <code>
/// g ← g + λ p
/// v ← α v + (1 - α) g²
/// b ← μ b + g / (√v + ε),  p ← p - η b     (momentum μ &gt; 0; b starts at 0)
/// p ← p - η g / (√v + ε)                    (μ = 0)
/// </code>
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class RmsProp<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _squareAverage = Array.Empty<T>();
    private T[] _momentumBuffer = Array.Empty<T>();

    /// <summary>Creates the optimizer; the defaults are PyTorch's.</summary>
    /// <param name="learningRate">η: finite, not negative.</param>
    /// <param name="alpha">α in [0, 1): the decay of the average of squared gradients.</param>
    /// <param name="epsilon">ε &gt; 0, added to the denominator.</param>
    /// <param name="weightDecay">λ: the L2 penalty added to the gradient; finite, not negative.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of its range.</exception>
    public RmsProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0)
        : base(learningRate)
    {
        Alpha = RequireFraction(alpha, nameof(alpha));
        Epsilon = RequirePositive(epsilon, nameof(epsilon));
        WeightDecay = RequireNonNegative(weightDecay, nameof(weightDecay));
        Momentum = RequireFraction(momentum, nameof(momentum));
    }

    /// <summary>α, the decay of the average of squared gradients.</summary>
    public double Alpha { get; }

    /// <summary>ε, added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>μ, the momentum.</summary>
    public double Momentum { get; }

    /// <inheritdoc/>
    public override Optimizer<T> CloneWithoutState() => new RmsProp<T>(LearningRate, Alpha, Epsilon, WeightDecay, Momentum);

    /// <inheritdoc/>
    protected override void AllocateState(int parameterCount)
    {
        _squareAverage = new T[parameterCount];
        _momentumBuffer = Momentum > 0 ? new T[parameterCount] : Array.Empty<T>();
    }

    /// <inheritdoc/>
    protected override void ClearState()
    {
        _squareAverage.AsSpan().Clear();
        _momentumBuffer.AsSpan().Clear();
    }

    /// <inheritdoc/>
    protected override bool Apply(Span<T> parameters, ReadOnlySpan<T> gradients, long step)
    {
        T learningRate = T.CreateChecked(LearningRate), decay = T.CreateChecked(WeightDecay);
        T alpha = T.CreateChecked(Alpha), oneMinusAlpha = T.CreateChecked(1 - Alpha);
        T eps = T.CreateChecked(Epsilon), momentum = T.CreateChecked(Momentum);
        bool useMomentum = Momentum > 0;
        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T v = ref MemoryMarshal.GetArrayDataReference(_squareAverage);
        ref T b = ref MemoryMarshal.GetArrayDataReference(_momentumBuffer);
        int n = parameters.Length, i = 0;
        var finiteProbe = Vector<T>.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vLearningRate = new Vector<T>(learningRate);
            var vDecay = new Vector<T>(decay);
            var vAlpha = new Vector<T>(alpha);
            var vOneMinusAlpha = new Vector<T>(oneMinusAlpha);
            var vEps = new Vector<T>(eps);
            var vMomentum = new Vector<T>(momentum);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pi = Vector.LoadUnsafe(ref p, (nuint)i);
                var gi = Vector.LoadUnsafe(ref g, (nuint)i) + vDecay * pi;
                var vi = vAlpha * Vector.LoadUnsafe(ref v, (nuint)i) + vOneMinusAlpha * (gi * gi);
                vi.StoreUnsafe(ref v, (nuint)i);
                var scaled = gi / (Vector.SquareRoot(vi) + vEps);
                if (useMomentum)
                {
                    var bi = vMomentum * Vector.LoadUnsafe(ref b, (nuint)i) + scaled;
                    bi.StoreUnsafe(ref b, (nuint)i);
                    scaled = bi;
                }

                pi -= vLearningRate * scaled;
                pi.StoreUnsafe(ref p, (nuint)i);
                finiteProbe += pi - pi; // 0 for a finite value, NaN otherwise
            }
        }

        T probe = T.Zero;
        for (; i < n; i++)
        {
            T pi = parameters[i];
            T gi = gradients[i] + decay * pi;
            T vi = alpha * _squareAverage[i] + oneMinusAlpha * (gi * gi);
            _squareAverage[i] = vi;
            T scaled = gi / (T.Sqrt(vi) + eps);
            if (useMomentum)
            {
                T bi = momentum * _momentumBuffer[i] + scaled;
                _momentumBuffer[i] = bi;
                scaled = bi;
            }

            pi -= learningRate * scaled;
            parameters[i] = pi;
            probe += pi - pi;
        }

        return probe == T.Zero && Vector.EqualsAll(finiteProbe, Vector<T>.Zero);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<OptimizerStateBuffer<T>> DescribeState() =>
        Momentum > 0
            ? new OptimizerStateBuffer<T>[] { new("square_avg", _squareAverage), new("momentum_buffer", _momentumBuffer) }
            : new OptimizerStateBuffer<T>[] { new("square_avg", _squareAverage) };
}
