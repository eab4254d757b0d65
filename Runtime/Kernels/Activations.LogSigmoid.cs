using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// logsigmoid: y = log sigmoid(x) = -softplus(-x), accurate for large |x| (softplus's kernel); derivative
// 1 - sigmoid(x) = 1 - e^y, computed as -expm1(y) so that it keeps its digits where y is near 0 (x large).
public static partial class Activations
{
    /// <summary>destination = log sigmoid(x) = -softplus(-x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives logsigmoid(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void LogSigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, LogSigmoidKernel<T>>(x, destination);

    /// <summary>dx = dy × (1 - e^y) = dy × -expm1(y), the derivative of y = logsigmoid(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = logsigmoid(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void LogSigmoidBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, LogSigmoidBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × (1 - e^y): <see cref="LogSigmoidBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = logsigmoid(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void LogSigmoidBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, LogSigmoidBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    internal readonly struct LogSigmoidKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused) => -SoftplusKernel<T>.Invoke(-x, -x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Negate(SoftplusKernel<T>.Invoke<TVector, TOps>(TOps.Negate(x), x));
    }

    internal readonly struct LogSigmoidBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => adjoint * -ExpM1Kernel<T>.Invoke(output);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Multiply(adjoint, TOps.Negate(ExpM1Kernel<T>.Invoke<TVector, TOps>(output)));
    }
}
