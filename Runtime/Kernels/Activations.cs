using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

/// <summary>
/// Element-wise activations and activation derivatives that <see cref="TensorPrimitives"/> cannot do in one
/// pass (and <see cref="Relu{T}"/>, one <see cref="TensorPrimitives"/> call, for symmetry). Each is one
/// vectorised loop with no scratch and no allocation. The derivatives are written in terms of the
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
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SoftplusKernel<T>>(x, destination);

    /// <summary>destination = max(x, 0), by <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T}, T, Span{T})"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives relu(x); may be the same span as <paramref name="x"/>.</param>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(destination.Length, x.Length, nameof(destination));
        TensorPrimitives.Max(x, T.Zero, destination);
    }

    /// <summary>adjoint *= 1 - output², the derivative of y = tanh(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = tanh(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy on entry, dL/dx on return.</param>
    public static void TanhBackward<T>(ReadOnlySpan<T> output, Span<T> adjoint)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, TanhBackwardKernel<T>>(output, adjoint);

    /// <summary>adjoint *= output × (1 - output), the derivative of y = sigmoid(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = sigmoid(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy on entry, dL/dx on return.</param>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> output, Span<T> adjoint)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SigmoidBackwardKernel<T>>(output, adjoint);

    /// <summary>adjoint = output &gt; 0 ? adjoint : 0, the derivative of y = relu(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = relu(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy on entry, dL/dx on return.</param>
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
    public static void SoftplusBackward<T>(ReadOnlySpan<T> output, Span<T> adjoint)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SoftplusBackwardKernel<T>>(output, adjoint);

    /// <summary>destination[i] = f(source[i], destination[i]) for a kernel f, in one pass.</summary>
    private static void Apply<T, TKernel>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IElementKernel<T>
    {
        LengthGuard.Require(destination.Length, source.Length, nameof(destination));
        ref T s = ref MemoryMarshal.GetReference(source);
        ref T d = ref MemoryMarshal.GetReference(destination);
        int length = source.Length;
        if (VectorWidth.Use512<T>(length))
        {
            Apply<T, TKernel, Vector512<T>, Vector512Ops<T>>(ref s, ref d, length);
        }
        else if (VectorWidth.Use256<T>(length))
        {
            Apply<T, TKernel, Vector256<T>, Vector256Ops<T>>(ref s, ref d, length);
        }
        else if (VectorWidth.Use128<T>(length))
        {
            Apply<T, TKernel, Vector128<T>, Vector128Ops<T>>(ref s, ref d, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                destination[i] = TKernel.Invoke(source[i], destination[i]);
            }
        }
    }

    // The last vector ends at the last element and may overlap the one before it. It is computed before
    // anything is stored and stored last, so when destination is also an input (in place) the overlapped
    // lanes are computed from the original values, twice, to the same result. Requires length >= TOps.Count.
    private static void Apply<T, TKernel, TVector, TOps>(ref T source, ref T destination, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IElementKernel<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint count = (nuint)TOps.Count;
        nuint last = (nuint)length - count;
        TVector tail = TKernel.Invoke<TVector, TOps>(TOps.Load(in source, last), TOps.Load(in destination, last));
        for (nuint i = 0; i < last; i += count)
        {
            TOps.Store(TKernel.Invoke<TVector, TOps>(TOps.Load(in source, i), TOps.Load(in destination, i)), ref destination, i);
        }
        TOps.Store(tail, ref destination, last);
    }

    /// <summary>An element-wise function of a source element and the destination element it replaces.</summary>
    private interface IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Invoke(T source, T destination);

        static abstract TVector Invoke<TVector, TOps>(TVector source, TVector destination)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>;
    }

    // softplus(x) = max(x, 0) + log1p(e^-|x|). log1p(e) for e in [0, 1] uses Goldberg's identity
    // log1p(e) = log(w) × e / (w - 1) with w = 1 + e rounded, and e itself where w rounds to 1.
    private readonly struct SoftplusKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T x, T unused)
        {
            T e = T.Exp(-T.Abs(x));
            T w = T.One + e;
            T log1P = w == T.One ? e : T.Log(w) * e / (w - T.One);
            return T.Max(x, T.Zero) + log1P;
        }

        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
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

    // 1 - y² as (1 - y)(1 + y): the factor near zero is exact where y is near ±1, so the derivative keeps
    // its relative accuracy as tanh saturates, with or without FMA.
    private readonly struct TanhBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T output, T adjoint) => adjoint * ((T.One - output) * (T.One + output));

        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            return TOps.Multiply(adjoint, TOps.Multiply(TOps.Subtract(one, output), TOps.Add(one, output)));
        }
    }

    private readonly struct SigmoidBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T output, T adjoint) => adjoint * (output * (T.One - output));

        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Multiply(adjoint, TOps.Multiply(output, TOps.Subtract(TOps.Broadcast(T.One), output)));
    }

    private readonly struct ReluBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T output, T adjoint) => output > T.Zero ? adjoint : T.Zero;

        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.BitwiseAnd(adjoint, TOps.CompareGreaterThan(output, TOps.Zero));
    }

    // -expm1(-y) with Kahan's identity expm1(z) = z × ((u - 1) / log(u)), u = e^z rounded, which stays
    // accurate where u - 1 cancels (the ratio is near 1, so a tiny z never makes the product underflow); the
    // limits are z itself where u rounds to 1 and -1 where u - 1 = -1.
    private readonly struct SoftplusBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Invoke(T output, T adjoint)
        {
            T u = T.Exp(-output);
            T uMinusOne = u - T.One;
            T derivative = u == T.One ? output : uMinusOne == -T.One ? T.One : output * (uMinusOne / T.Log(u));
            return adjoint * derivative;
        }

        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
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
