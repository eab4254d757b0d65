using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// square: y = x² (TensorPrimitives.Multiply of x by itself); derivative 2x, exact (x + x).
public static partial class Activations
{
    /// <summary>dx = dy × 2x, the derivative of y = x².</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SquareBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SquareBackwardKernel<T>>(x, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × 2x: <see cref="SquareBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SquareBackwardAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SquareBackwardKernel<T>>(x, adjoint, destination, accumulate: true);

    internal readonly struct SquareKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused) => x * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Multiply(x, x);
    }

    internal readonly struct SquareBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T adjoint) => adjoint * (x + x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Multiply(adjoint, TOps.Add(x, x));
    }
}
