using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

// y = max(a, b) or min(a, b): the forward pass is TensorPrimitives.Max / Min. The adjoint of each operand is
// PyTorch 1.13's (torch.maximum / torch.minimum): the whole of dL/dy where the operand is selected, half of it
// where a == b (a tie), nothing where the other operand is selected. Both operands are written as one form,
// "larger" and "smaller": max(a, b)'s a is (a, b), its b is (b, a); min(a, b)'s a is (b, a), its b is (a, b).
public static partial class Activations
{
    /// <summary>dx = dy where larger &gt; smaller, dy / 2 where they are equal, 0 where larger &lt; smaller.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="larger">The operand that is selected where it is the larger (the operand itself for max, the other one for min).</param>
    /// <param name="smaller">The other of the two operands.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SelectedBackward<T>(ReadOnlySpan<T> larger, ReadOnlySpan<T> smaller, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyPairBackward<T, SelectedKernel<T>>(larger, smaller, adjoint, destination, accumulate: false);

    /// <summary><see cref="SelectedBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="larger">The operand that is selected where it is the larger (the operand itself for max, the other one for min).</param>
    /// <param name="smaller">The other of the two operands.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SelectedBackwardAdd<T>(ReadOnlySpan<T> larger, ReadOnlySpan<T> smaller, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyPairBackward<T, SelectedKernel<T>>(larger, smaller, adjoint, destination, accumulate: true);

    // As PyTorch: where(a == b, dy / 2, dy), then 0 where smaller > larger (a NaN operand compares false: dy passes).
    internal readonly struct SelectedKernel<T> : IPairKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T larger, T smaller, T adjoint) =>
            smaller > larger ? T.Zero : larger == smaller ? adjoint / (T.One + T.One) : adjoint;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector larger, TVector smaller, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector split = TOps.ConditionalSelect(TOps.CompareEqual(larger, smaller), TOps.Multiply(adjoint, TOps.Broadcast(T.CreateTruncating(0.5))), adjoint);
            return TOps.ConditionalSelect(TOps.CompareGreaterThan(smaller, larger), TOps.Zero, split);
        }
    }
}
