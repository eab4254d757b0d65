using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// silu (swish): y = x sigmoid(x) = x / (1 + e^-x); derivative s (1 + x (1 - s)), s = sigmoid(x), as PyTorch writes it.
public static partial class Activations
{
    /// <summary>destination = x sigmoid(x) = x / (1 + e^-x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives silu(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Silu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SiluKernel<T>>(x, destination);

    /// <summary>dx = dy × s (1 + x (1 - s)), s = sigmoid(x), the derivative of y = silu(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SiluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SiluBackwardKernel<T>>(x, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × s (1 + x (1 - s)): <see cref="SiluBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SiluBackwardAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SiluBackwardKernel<T>>(x, adjoint, destination, accumulate: true);

    internal readonly struct SiluKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused) => x / (T.One + T.Exp(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Divide(x, TOps.Add(TOps.Broadcast(T.One), TOps.Exp(TOps.Negate(x))));
    }

    internal readonly struct SiluBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T adjoint)
        {
            T s = T.One / (T.One + T.Exp(-x));
            return adjoint * (s * (T.One + x * (T.One - s)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            TVector s = TOps.Divide(one, TOps.Add(one, TOps.Exp(TOps.Negate(x))));
            return TOps.Multiply(adjoint, TOps.Multiply(s, TOps.MultiplyAdd(x, TOps.Subtract(one, s), one)));
        }
    }
}
