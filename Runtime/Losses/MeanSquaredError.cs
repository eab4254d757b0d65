using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace UnrolledRnn.Training;

/// <summary>
/// Mean squared error over the elements of one step's output: L_t = (1/n) Σ_i (y_i - target_i)^2, so
/// dL/dy_i = (2/n)(y_i - target_i), with n = OutputSize (the mean over elements, as PyTorch's <c>mse_loss</c>).
/// The target holds OutputSize elements.
/// </summary>
/// <typeparam name="T">The element type of the cell.</typeparam>
public sealed class MeanSquaredError<T> : Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => outputSize;

    /// <inheritdoc/>
    public override string TargetLayout => "OutputSize";

    /// <inheritdoc/>
    public override T Evaluate(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> outputGradient)
    {
        T count = T.CreateTruncating(output.Length);
        TensorPrimitives.Subtract(output, target, outputGradient);
        T loss = TensorPrimitives.SumOfSquares<T>(outputGradient) / count;
        TensorPrimitives.Multiply(outputGradient, (T.One + T.One) / count, outputGradient);
        return loss;
    }
}
