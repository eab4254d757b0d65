using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

/// <summary>
/// Element-wise activations and activation derivatives that System.Numerics.Tensors.TensorPrimitives cannot do
/// in one pass, and relu. Each is one vectorised loop (<see cref="Elementwise.Map{T, TOperation}"/>), inlined
/// into its caller, with no scratch and no allocation. The derivatives are written in terms of the
/// activation's output (what the forward pass records) and scale the adjoint in place. Spans must have
/// equal lengths (checked once, <see cref="ArgumentException"/> otherwise).
/// </summary>
public static class Activations
{
    /// <summary>destination = softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^-|x|), which neither
    /// overflows for large x nor loses the tiny result for very negative x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives softplus(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SoftplusKernel<T>>(x, destination);

    /// <summary>destination = max(x, 0), with IEEE maximum: NaN propagates, and relu(-0) = +0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives relu(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, ReluKernel<T>>(x, destination);

    /// <summary>adjoint *= 1 - output², the derivative of y = tanh(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = tanh(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy on entry, dL/dx on return.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward<T>(ReadOnlySpan<T> output, Span<T> adjoint)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, TanhBackwardKernel<T>>(output, adjoint);

    /// <summary>adjoint *= output × (1 - output), the derivative of y = sigmoid(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = sigmoid(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy on entry, dL/dx on return.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackward<T>(ReadOnlySpan<T> output, Span<T> adjoint)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SigmoidBackwardKernel<T>>(output, adjoint);

    /// <summary>adjoint = output &gt; 0 ? adjoint : 0, the derivative of y = relu(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = relu(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy on entry, dL/dx on return.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward<T>(ReadOnlySpan<T> output, Span<T> adjoint)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, ReluBackwardKernel<T>>(output, adjoint);

    /// <summary>
    /// adjoint *= sigmoid(x) = 1 - e^-y = -expm1(-y), the derivative of y = softplus(x) in terms of y;
    /// accurate to a few ulps also for tiny y, where 1 - e^-y would cancel.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = softplus(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy on entry, dL/dx on return.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftplusBackward<T>(ReadOnlySpan<T> output, Span<T> adjoint)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SoftplusBackwardKernel<T>>(output, adjoint);

    /// <summary>destination[i] = f(source[i], destination[i]) for a kernel f, in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply<T, TKernel>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IElementwiseOperation<T> =>
        Elementwise.Map(default(TKernel), source, destination, destination, destination);

    // softplus(x) = max(x, 0) + log1p(e^-|x|). log1p(e) for e in [0, 1] uses Goldberg's identity
    // log1p(e) = log(w) × e / (w - 1) with w = 1 + e rounded, and e itself where w rounds to 1.
    private readonly struct SoftplusKernel<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T unused1, T unused2)
        {
            T e = T.Exp(-T.Abs(x));
            T w = T.One + e;
            T log1P = w == T.One ? e : T.Log(w) * e / (w - T.One);
            return T.Max(x, T.Zero) + log1P;
        }

        public TVector Invoke<TVector, TOps>(TVector x, TVector unused1, TVector unused2)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            TVector e = TOps.Exp(TOps.Negate(TOps.Abs(x)));
            TVector w = TOps.Add(one, e);
            TVector log1P = TOps.ConditionalSelect(TOps.CompareEqual(w, one), e,
                TOps.Divide(TOps.Multiply(TOps.Log(w), e), TOps.Subtract(w, one)));
            return TOps.Add(TOps.Max(x, TOps.Zero), log1P);
        }
    }

    private readonly struct ReluKernel<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T unused1, T unused2) => T.Max(x, T.Zero);

        public TVector Invoke<TVector, TOps>(TVector x, TVector unused1, TVector unused2)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Max(x, TOps.Zero);
    }

    // 1 - y² as (1 - y)(1 + y): the factor near zero is exact where y is near ±1, so the derivative keeps
    // its relative accuracy as tanh saturates, with or without FMA.
    private readonly struct TanhBackwardKernel<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T output, T adjoint, T unused) => adjoint * ((T.One - output) * (T.One + output));

        public TVector Invoke<TVector, TOps>(TVector output, TVector adjoint, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            return TOps.Multiply(adjoint, TOps.Multiply(TOps.Subtract(one, output), TOps.Add(one, output)));
        }
    }

    private readonly struct SigmoidBackwardKernel<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T output, T adjoint, T unused) => adjoint * (output * (T.One - output));

        public TVector Invoke<TVector, TOps>(TVector output, TVector adjoint, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Multiply(adjoint, TOps.Multiply(output, TOps.Subtract(TOps.Broadcast(T.One), output)));
    }

    private readonly struct ReluBackwardKernel<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T output, T adjoint, T unused) => output > T.Zero ? adjoint : T.Zero;

        public TVector Invoke<TVector, TOps>(TVector output, TVector adjoint, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.BitwiseAnd(adjoint, TOps.CompareGreaterThan(output, TOps.Zero));
    }

    // -expm1(-y) with Kahan's identity expm1(z) = z × ((u - 1) / log(u)), u = e^z rounded, which stays
    // accurate where u - 1 cancels (the ratio is near 1, so a tiny z never makes the product underflow); the
    // limits are z itself where u rounds to 1 and -1 where u - 1 = -1.
    private readonly struct SoftplusBackwardKernel<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T output, T adjoint, T unused)
        {
            T u = T.Exp(-output);
            T uMinusOne = u - T.One;
            T derivative = u == T.One ? output : uMinusOne == -T.One ? T.One : output * (uMinusOne / T.Log(u));
            return adjoint * derivative;
        }

        public TVector Invoke<TVector, TOps>(TVector output, TVector adjoint, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            TVector u = TOps.Exp(TOps.Negate(output));
            TVector uMinusOne = TOps.Subtract(u, one);
            TVector derivative = TOps.Multiply(output, TOps.Divide(uMinusOne, TOps.Log(u)));
            derivative = TOps.ConditionalSelect(TOps.CompareEqual(u, one), output, derivative);
            derivative = TOps.ConditionalSelect(TOps.CompareEqual(uMinusOne, TOps.Negate(one)), one, derivative);
            return TOps.Multiply(adjoint, derivative);
        }
    }
}
