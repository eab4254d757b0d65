using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace UnrolledRnn.Training;

/// <summary>
/// Softmax cross-entropy with a class-index target: the outputs are logits, L_t = log Σ_i e^{y_i} - y_c, so
/// dL/dy = softmax(y) - onehot(c). The target is one element holding the class index c, an integer in
/// [0, OutputSize), e.g. <c>trainer.Step(x, [3f])</c>. Computed as m + log Σ_i e^{y_i - m} - y_c with
/// m = max_i y_i, so large logits do not overflow.
/// </summary>
/// <typeparam name="T">The element type of the cell.</typeparam>
public sealed class SoftmaxCrossEntropy<T> : Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => 1;

    /// <inheritdoc/>
    public override string TargetLayout => "1: the class index";

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> unless the target is an integer in [0, OutputSize).</summary>
    /// <param name="target">One element: the class index.</param>
    /// <param name="outputSize">The number of classes (the cell's output size).</param>
    public override void ValidateTarget(ReadOnlySpan<T> target, int outputSize)
    {
        T index = target[0];
        if (!T.IsInteger(index) || index < T.Zero || index >= T.CreateTruncating(outputSize))
        {
            throw new ArgumentOutOfRangeException(nameof(target), double.CreateSaturating(index),
                $"The class index must be an integer in [0, {outputSize}).");
        }
    }

    /// <inheritdoc/>
    public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
    {
        int targetClass = int.CreateTruncating(target[0]);
        T max = TensorPrimitives.Max(output);
        TensorPrimitives.Subtract(output, max, outputGradient);
        TensorPrimitives.Exp(outputGradient, outputGradient);
        T sum = TensorPrimitives.Sum<T>(outputGradient);
        TensorPrimitives.Divide(outputGradient, sum, outputGradient);
        outputGradient[targetClass] -= T.One;
        return max + T.Log(sum) - output[targetClass];
    }
}
