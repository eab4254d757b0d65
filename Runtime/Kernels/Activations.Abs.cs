using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// abs: y = |x| (TensorPrimitives.Abs); derivative sign(x), 0 at x = 0 and at
// x = NaN, as PyTorch's.
public static partial class Activations
{
    /// <summary>dx = dy × sign(x), the derivative of y = |x| (0 at x = 0 and x = NaN, as PyTorch).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void AbsBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, AbsBackwardKernel<T>>(x, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × sign(x): <see cref="AbsBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void AbsBackwardAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, AbsBackwardKernel<T>>(x, adjoint, destination, accumulate: true);

    internal readonly struct AbsKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused) => T.Abs(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Abs(x);
    }

    internal readonly struct AbsBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T adjoint) => x > T.Zero ? adjoint : x < T.Zero ? -adjoint : T.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.ConditionalSelect(TOps.CompareGreaterThan(x, TOps.Zero), adjoint,
                TOps.ConditionalSelect(TOps.CompareGreaterThan(TOps.Zero, x), TOps.Negate(adjoint), TOps.Zero));
    }
}
