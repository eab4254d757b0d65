using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

/// <summary>
/// The fused layer normalisation of the cell language, <c>layernorm(v, gain, bias, eps)</c>, over one vector or over a
/// feature-major block of B streams (element i of stream s at i × batch + s; batch = 1 for one vector):
/// y = x̂ ⊙ gain + bias with x̂ = (v - mean(v)) / σ and σ = √(var(v) + eps), the biased variance (as PyTorch's
/// layer_norm). Forward keeps x̂ and 1/σ, which the closed-form backward reads.
/// </summary>
public static class LayerNorm
{
    /// <summary>Forward: y and the statistics (x̂, then 1/σ) of every stream.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="x">The normalised vector v: n × batch elements.</param>
    /// <param name="gain">The gain, n × batch elements (a stream's copy per stream when batched).</param>
    /// <param name="bias">The bias, n × batch elements.</param>
    /// <param name="epsilon">eps &gt; 0, added to the variance.</param>
    /// <param name="destination">Receives y, n × batch elements.</param>
    /// <param name="statistics">Receives x̂ (n × batch elements), then 1/σ (batch elements).</param>
    /// <param name="batch">The number of streams.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gain, ReadOnlySpan<T> bias, T epsilon, Span<T> destination, Span<T> statistics, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length / batch;
        LengthGuard.Require(gain.Length, x.Length, nameof(gain));
        LengthGuard.Require(bias.Length, x.Length, nameof(bias));
        LengthGuard.Require(destination.Length, x.Length, nameof(destination));
        LengthGuard.Require(statistics.Length, x.Length + batch, nameof(statistics));
        T count = T.CreateTruncating(n);
        var normalised = statistics.Slice(0, x.Length);
        var inverseDeviation = statistics.Slice(x.Length, batch);
        for (int s = 0; s < batch; s++)
        {
            T sum = T.Zero;
            for (int i = s; i < x.Length; i += batch)
            {
                sum += x[i];
            }

            T mean = sum / count;
            T squares = T.Zero;
            for (int i = s; i < x.Length; i += batch)
            {
                T centred = x[i] - mean;
                normalised[i] = centred;
                squares += centred * centred;
            }

            T inverse = T.One / T.Sqrt(squares / count + epsilon);
            inverseDeviation[s] = inverse;
            for (int i = s; i < x.Length; i += batch)
            {
                T xHat = normalised[i] * inverse;
                normalised[i] = xHat;
                destination[i] = xHat * gain[i] + bias[i];
            }
        }
    }

    /// <summary>
    /// Backward, closed form: dx (=|+=) (1/σ) (g⊙dy - mean(g⊙dy) - x̂ mean(g⊙dy⊙x̂)) and d_gain += dy⊙x̂ (the bias's
    /// gradient, dy itself, is summed by the caller).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="statistics">x̂ then 1/σ, as <see cref="Forward{T}"/> left them.</param>
    /// <param name="gain">The gain, n × batch elements.</param>
    /// <param name="adjoint">dL/dy, n × batch elements.</param>
    /// <param name="destination">dL/dv (n × batch elements), or empty when v receives no adjoint (an input).</param>
    /// <param name="accumulate">Add to <paramref name="destination"/> rather than overwrite it.</param>
    /// <param name="gainGradient">Gains dy⊙x̂, n × batch elements (a stream's own block when batched).</param>
    /// <param name="batch">The number of streams.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(ReadOnlySpan<T> statistics, ReadOnlySpan<T> gain, ReadOnlySpan<T> adjoint, Span<T> destination, bool accumulate, Span<T> gainGradient, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = adjoint.Length;
        LengthGuard.Require(statistics.Length, length + batch, nameof(statistics));
        LengthGuard.Require(gain.Length, length, nameof(gain));
        LengthGuard.Require(gainGradient.Length, length, nameof(gainGradient));
        LengthGuard.Require(destination.IsEmpty ? length : destination.Length, length, nameof(destination));
        T count = T.CreateTruncating(length / batch);
        var normalised = statistics.Slice(0, length);
        for (int s = 0; s < batch; s++)
        {
            T sumScaled = T.Zero, sumScaledNormalised = T.Zero;
            for (int i = s; i < length; i += batch)
            {
                T scaled = gain[i] * adjoint[i];
                sumScaled += scaled;
                sumScaledNormalised += scaled * normalised[i];
                gainGradient[i] += adjoint[i] * normalised[i];
            }

            if (destination.IsEmpty)
            {
                continue;
            }

            T inverse = statistics[length + s], meanScaled = sumScaled / count, meanScaledNormalised = sumScaledNormalised / count;
            for (int i = s; i < length; i += batch)
            {
                T term = inverse * (gain[i] * adjoint[i] - meanScaled - normalised[i] * meanScaledNormalised);
                destination[i] = accumulate ? destination[i] + term : term;
            }
        }
    }
}
