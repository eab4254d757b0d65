using System;
using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>
/// Binary cross-entropy on logits, averaged over the elements of one step's output (as PyTorch's
/// <c>binary_cross_entropy_with_logits</c>): with p = sigmoid(y),
/// L_t = -(1/n) Σ_i [target_i log p_i + (1 - target_i) log(1 - p_i)], so dL/dy_i = (p_i - target_i)/n.
/// The target holds OutputSize elements, each a probability in [0, 1]. Computed as
/// max(y, 0) - y·target + log(1 + e^{-|y|}), which neither overflows nor loses the small probabilities.
/// </summary>
/// <typeparam name="T">The element type of the cell.</typeparam>
public sealed class BinaryCrossEntropyWithLogits<T> : Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => outputSize;

    /// <inheritdoc/>
    public override string TargetLayout => "OutputSize";

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless every target is in [0, 1].</summary>
    /// <param name="target">OutputSize probabilities.</param>
    /// <param name="outputSize">The cell's output size.</param>
    public override void ValidateTarget(ReadOnlySpan<T> target, int outputSize)
    {
        for (int i = 0; i < target.Length; i++)
        {
            if (!(target[i] >= T.Zero && target[i] <= T.One))
            {
                throw new ArgumentOutOfRangeException(nameof(target), double.CreateSaturating(target[i]),
                    $"Binary cross-entropy targets are probabilities in [0, 1]; element {i} is not.");
            }
        }
    }

    /// <inheritdoc/>
    public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
    {
        T count = T.CreateTruncating(output.Length);
        T sum = T.Zero;
        for (int i = 0; i < output.Length; i++)
        {
            T y = output[i];
            T e = T.Exp(-T.Abs(y)); // in (0, 1]: no overflow
            sum += T.Max(y, T.Zero) - y * target[i] + T.LogP1(e);
            T probability = y >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
            outputGradient[i] = (probability - target[i]) / count;
        }

        return sum / count;
    }
}
