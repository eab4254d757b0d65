using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

/// <summary>
/// A vector parameter against a feature-major block (length × B): broadcast to every stream, and its gradient
/// summed over the streams.
/// </summary>
public static partial class BatchedRows
{
    /// <summary>block[u × batch + s] = vector[u] for every stream s: a bias or gain, as each stream reads it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Broadcast<T>(ReadOnlySpan<T> vector, int batch, Span<T> block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(block.Length, vector.Length * batch, nameof(block));
        for (int u = 0; u < vector.Length; u++)
        {
            block.Slice(u * batch, batch).Fill(vector[u]);
        }
    }

    /// <summary>vector[u] += Σ_s block[u × batch + s]: the gradient of a vector parameter, from every stream's part.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void AddSums<T>(ReadOnlySpan<T> block, int batch, Span<T> vector)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(block.Length, vector.Length * batch, nameof(block));
        for (int u = 0; u < vector.Length; u++)
        {
            vector[u] += TensorPrimitives.Sum<T>(block.Slice(u * batch, batch));
        }
    }
}
