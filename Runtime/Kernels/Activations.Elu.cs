using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// elu (alpha = 1): y = x for x > 0, e^x - 1 otherwise, with an accurate e^x - 1 (.NET's ExpM1 is Exp(x) - 1, which
// loses every digit of a tiny x); derivative 1 for y > 0, else e^x = y + 1 (so 1 at x = 0, as PyTorch).
public static partial class Activations
{
    /// <summary>destination = elu(x) = x for x &gt; 0, else eˣ - 1 (accurate to a few ulps also for tiny |x|).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives elu(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Elu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, EluKernel<T>>(x, destination);

    /// <summary>dx = dy for y &gt; 0, else dy × (y + 1), the derivative of y = elu(x) in terms of y (1 at x = 0, as PyTorch).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = elu(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void EluBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, EluBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += y &gt; 0 ? dy : dy × (y + 1): <see cref="EluBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = elu(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void EluBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, EluBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    internal readonly struct EluKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused) => x > T.Zero ? x : ExpM1Kernel<T>.Invoke(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.ConditionalSelect(TOps.CompareGreaterThan(x, TOps.Zero), x, ExpM1Kernel<T>.Invoke<TVector, TOps>(x));
    }

    internal readonly struct EluBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => output > T.Zero ? adjoint : adjoint * (output + T.One);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.ConditionalSelect(TOps.CompareGreaterThan(output, TOps.Zero), adjoint,
                TOps.Multiply(adjoint, TOps.Add(output, TOps.Broadcast(T.One))));
    }

    // e^z - 1 with Kahan's identity expm1(z) = z × ((u - 1) / log(u)), u = e^z rounded, which stays accurate where
    // u - 1 cancels (the ratio is near 1, so a tiny z never makes the product underflow); the limits are z itself
    // where u rounds to 1 and -1 where u - 1 = -1.
    internal static class ExpM1Kernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T z)
        {
            T u = T.Exp(z);
            T uMinusOne = u - T.One;
            return u == T.One ? z : uMinusOne == -T.One ? -T.One : z * (uMinusOne / T.Log(u));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector z)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            TVector u = TOps.Exp(z);
            TVector uMinusOne = TOps.Subtract(u, one);
            TVector expM1 = TOps.Multiply(z, TOps.Divide(uMinusOne, TOps.Log(u)));
            expM1 = TOps.ConditionalSelect(TOps.CompareEqual(u, one), z, expM1);
            return TOps.ConditionalSelect(TOps.CompareEqual(uMinusOne, TOps.Negate(one)), TOps.Negate(one), expM1);
        }
    }
}
