using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

// A scalar (a length-1 value: one row of B streams) against a feature-major block (length × B): broadcast over the
// elements of each stream, and the adjoint of that broadcast, each stream's elements summed.
public static partial class BatchedRows
{
    /// <summary>block[u × batch + s] = row[s] for every element u: each stream's scalar broadcast over its elements.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RepeatRow<T>(ReadOnlySpan<T> row, Span<T> block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.Length == 0 || block.Length % row.Length != 0)
        {
            throw new ArgumentException($"Expected a block of whole rows of {row.Length} streams, got {block.Length} elements.", nameof(block));
        }

        for (int start = 0; start < block.Length; start += row.Length)
        {
            row.CopyTo(block.Slice(start, row.Length));
        }
    }

    /// <summary>
    /// row[s] = Σ_u block[u × batch + s], or row[s] += it when <paramref name="accumulate"/>: each stream's elements
    /// summed, the adjoint of a broadcast scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SumRows<T>(ReadOnlySpan<T> block, Span<T> row, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.Length == 0 || block.Length % row.Length != 0)
        {
            throw new ArgumentException($"Expected a block of whole rows of {row.Length} streams, got {block.Length} elements.", nameof(block));
        }

        if (!accumulate)
        {
            block.Slice(0, row.Length).CopyTo(row);
            block = block.Slice(row.Length);
        }

        for (int start = 0; start < block.Length; start += row.Length)
        {
            TensorPrimitives.Add<T>(row, block.Slice(start, row.Length), row);
        }
    }
}
