using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// log: the forward pass is TensorPrimitives.Log; its derivative 1 / x is e^-y in terms of y = log(x).
public static partial class Activations
{
    /// <summary>dx = dy × e^-y, the derivative 1 / x of y = log(x) in terms of y: +∞ × dy at y = -∞ (x = 0), as PyTorch gives.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = log(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void LogBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, LogBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × e^-y: <see cref="LogBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = log(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void LogBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, LogBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    internal readonly struct LogBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => adjoint * T.Exp(-output);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Multiply(adjoint, TOps.Exp(TOps.Negate(output)));
    }
}
