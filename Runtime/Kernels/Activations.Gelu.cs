using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// gelu, tanh form (PyTorch's approximate='tanh'): y = x (1 + tanh u) / 2, u = √(2/π) (x + 0.044715 x³). As
// (1 + tanh u) / 2 = sigmoid(2u), y = x / (1 + e^-2u), which does not cancel where tanh u is near -1 (x very
// negative); derivative s + 2 x u' s (1 - s), s = sigmoid(2u), u' = √(2/π) (1 + 3 × 0.044715 x²), with 1 - s =
// 1 / (1 + e^2u) computed as such, not by a subtraction.
public static partial class Activations
{
    /// <summary>destination = x (1 + tanh(√(2/π) (x + 0.044715 x³))) / 2.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives gelu(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Gelu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, GeluKernel<T>>(x, destination);

    /// <summary>dx = dy × gelu'(x) (tanh form), the derivative of y = gelu(x).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void GeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, GeluBackwardKernel<T>>(x, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × gelu'(x): <see cref="GeluBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The argument x, as stored by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void GeluBackwardAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, GeluBackwardKernel<T>>(x, adjoint, destination, accumulate: true);

    internal readonly struct GeluKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused)
        {
            T twiceU = T.CreateTruncating(GeluConstants.TwiceBeta) * (x + T.CreateTruncating(GeluConstants.Kappa) * (x * x * x));
            return x / (T.One + T.Exp(-twiceU));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector twiceU = TOps.Multiply(TOps.Broadcast(T.CreateTruncating(GeluConstants.TwiceBeta)),
                TOps.MultiplyAdd(TOps.Broadcast(T.CreateTruncating(GeluConstants.Kappa)), TOps.Multiply(TOps.Multiply(x, x), x), x));
            return TOps.Divide(x, TOps.Add(TOps.Broadcast(T.One), TOps.Exp(TOps.Negate(twiceU))));
        }
    }

    internal readonly struct GeluBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T adjoint)
        {
            T x2 = x * x;
            T twiceU = T.CreateTruncating(GeluConstants.TwiceBeta) * (x + T.CreateTruncating(GeluConstants.Kappa) * (x2 * x));
            T e = T.Exp(-twiceU);
            T s = T.One / (T.One + e);
            T oneMinusS = T.One / (T.One + T.One / e);
            T twiceUPrime = T.CreateTruncating(GeluConstants.TwiceBeta) * (T.One + T.CreateTruncating(3 * GeluConstants.Kappa) * x2);
            return adjoint * (s + x * twiceUPrime * (s * oneMinusS));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            TVector twiceBeta = TOps.Broadcast(T.CreateTruncating(GeluConstants.TwiceBeta));
            TVector x2 = TOps.Multiply(x, x);
            TVector twiceU = TOps.Multiply(twiceBeta, TOps.MultiplyAdd(TOps.Broadcast(T.CreateTruncating(GeluConstants.Kappa)), TOps.Multiply(x2, x), x));
            TVector e = TOps.Exp(TOps.Negate(twiceU));
            TVector s = TOps.Divide(one, TOps.Add(one, e));
            TVector oneMinusS = TOps.Divide(one, TOps.Add(one, TOps.Divide(one, e)));
            TVector twiceUPrime = TOps.Multiply(twiceBeta, TOps.MultiplyAdd(TOps.Broadcast(T.CreateTruncating(3 * GeluConstants.Kappa)), x2, one));
            return TOps.Multiply(adjoint, TOps.MultiplyAdd(TOps.Multiply(x, twiceUPrime), TOps.Multiply(s, oneMinusS), s));
        }
    }

    /// <summary>The constants of the tanh form: u = β (x + κ x³), β = √(2/π); 2β, as the forward pass uses it.</summary>
    private static class GeluConstants
    {
        public const double TwiceBeta = 2 * 0.79788456080286535587989211986876;
        public const double Kappa = 0.044715;
    }
}
