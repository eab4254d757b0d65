using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

/// <summary>
/// Element-wise activations and activation derivatives that System.Numerics.Tensors.TensorPrimitives cannot do
/// in one pass, relu, and the FastActivations approximations. Each is one vectorised loop with no scratch and no
/// allocation. The derivatives are written in terms of the activation's output (what the forward pass records),
/// each in two forms: one that writes dL/dx to a destination, and one (<c>...Add</c>) that adds it to an adjoint
/// other paths already reached, so that generated code never rescales an adjoint it has named. Spans must have equal lengths (checked once, <see cref="ArgumentException"/>
/// otherwise).
/// </summary>
/// <remarks>
/// Each method is compiled on its own, fully optimised at its first call, and never inlined: inlined into a
/// generated step method, a dozen of them exhausted the JIT's inlining budget there (635 inlinees in an LSTM
/// <c>ForwardStep</c>), which then called the vector arithmetic once per vector with its arguments on the stack.
/// </remarks>
public static partial class Activations
{
    /// <summary>destination = softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^-|x|), which neither
    /// overflows for large x nor loses the tiny result for very negative x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives softplus(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, SoftplusKernel<T>>(x, destination);

    /// <summary>destination = max(x, 0), with IEEE maximum: NaN propagates, and relu(-0) = +0.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives relu(x); may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, ReluKernel<T>>(x, destination);

    /// <summary>
    /// destination ≈ tanh(x) by a rational function (odd degree-13 over even degree-6, the form Eigen uses), x itself
    /// for |x| below 4e-4 and constant beyond |x| = 7.905 (2.4e-7 short of ±1): within 2.6e-7 of tanh, and 2.9e-7
    /// relative (measured over 22.5 million floats in [-10, 10] in ActivationsTests; <c>TensorPrimitives.Tanh</c>:
    /// 1.5e-7), at a fraction of its cost. The generated code calls it when a cell sets <c>FastActivations</c>.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the approximation; may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void FastTanh<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, FastTanhKernel<T>>(x, destination);

    /// <summary>
    /// destination ≈ sigmoid(x) = (1 + tanh(x / 2)) / 2 with <see cref="FastTanh{T}"/>: within 1.5e-7 of sigmoid.
    /// That is an absolute error: where sigmoid(x) is small the relative error grows (2.6e-3 at x = -16).
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the approximation; may be the same span as <paramref name="x"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void FastSigmoid<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Apply<T, FastSigmoidKernel<T>>(x, destination);

    /// <summary>dx = dy × (1 - y²), the derivative of y = tanh(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = tanh(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, TanhBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × (1 - y²): <see cref="TanhBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = tanh(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, TanhBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    /// <summary>dx = dy × y × (1 - y), the derivative of y = sigmoid(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = sigmoid(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SigmoidBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × y × (1 - y): <see cref="SigmoidBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = sigmoid(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SigmoidBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    /// <summary>dx = y &gt; 0 ? dy : 0, the derivative of y = relu(x) in terms of y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = relu(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, ReluBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += y &gt; 0 ? dy : 0: <see cref="ReluBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = relu(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, ReluBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    /// <summary>
    /// dx = dy × sigmoid(x) = dy × (1 - e^-y) = dy × -expm1(-y), the derivative of y = softplus(x) in terms of y;
    /// accurate to a few ulps also for tiny y, where 1 - e^-y would cancel.
    /// </summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = softplus(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SoftplusBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SoftplusBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += dy × (1 - e^-y): <see cref="SoftplusBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = softplus(x), as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SoftplusBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SoftplusBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    /// <summary>
    /// destination[i] = f(output[i], adjoint[i]) for a derivative kernel f, or destination[i] += it when
    /// <paramref name="accumulate"/> (a constant at every call site, so the JIT keeps one branch), in one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyBackward<T, TKernel>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IElementKernel<T>
    {
        LengthGuard.Require(adjoint.Length, output.Length, nameof(adjoint));
        LengthGuard.Require(destination.Length, output.Length, nameof(destination));
        ref T y = ref MemoryMarshal.GetReference(output);
        ref T dy = ref MemoryMarshal.GetReference(adjoint);
        ref T dx = ref MemoryMarshal.GetReference(destination);
        int length = output.Length;
        if (VectorWidth.Use512<T>(length))
        {
            ApplyBackward<T, TKernel, Vector512<T>, Vector512Ops<T>>(ref y, ref dy, ref dx, length, accumulate);
        }
        else if (VectorWidth.Use256<T>(length))
        {
            ApplyBackward<T, TKernel, Vector256<T>, Vector256Ops<T>>(ref y, ref dy, ref dx, length, accumulate);
        }
        else if (VectorWidth.Use128<T>(length))
        {
            ApplyBackward<T, TKernel, Vector128<T>, Vector128Ops<T>>(ref y, ref dy, ref dx, length, accumulate);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                T term = TKernel.Invoke(output[i], adjoint[i]);
                destination[i] = accumulate ? destination[i] + term : term;
            }
        }
    }

    // As the two-span Apply: the overlapping last vector is computed from the original values before anything is
    // stored, so an in-place call (destination = adjoint) and the accumulating form both give each lane one term.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyBackward<T, TKernel, TVector, TOps>(ref T output, ref T adjoint, ref T destination, int length, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IElementKernel<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint count = (nuint)TOps.Count;
        nuint last = (nuint)length - count;
        TVector tail = TKernel.Invoke<TVector, TOps>(TOps.Load(in output, last), TOps.Load(in adjoint, last));
        if (accumulate)
        {
            tail = TOps.Add(TOps.Load(in destination, last), tail);
        }

        for (nuint i = 0; i < last; i += count)
        {
            TVector term = TKernel.Invoke<TVector, TOps>(TOps.Load(in output, i), TOps.Load(in adjoint, i));
            VectorStore.StoreOrAdd<T, TVector, TOps>(term, ref destination, i, accumulate);
        }
        TOps.Store(tail, ref destination, last);
    }

    /// <summary>destination[i] = f(source[i], destination[i]) for a kernel f, in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    internal interface IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Invoke(T source, T destination);

        static abstract TVector Invoke<TVector, TOps>(TVector source, TVector destination)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>;
    }

    // softplus(x) = max(x, 0) + log1p(e^-|x|). log1p(e) for e in [0, 1] uses Goldberg's identity
    // log1p(e) = log(w) × e / (w - 1) with w = 1 + e rounded, and e itself where w rounds to 1.
    internal readonly struct SoftplusKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused)
        {
            T e = T.Exp(-T.Abs(x));
            T w = T.One + e;
            T log1P = w == T.One ? e : T.Log(w) * e / (w - T.One);
            return T.Max(x, T.Zero) + log1P;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    internal readonly struct ReluKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused) => T.Max(x, T.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Max(x, TOps.Zero);
    }

    // tanh(x) ≈ x·p(x²)/q(x²) on |x| <= Clamp (beyond it tanh is within 2.7e-7 of ±1), evaluated by Horner's
    // rule with fused multiply-adds; at and below |x| = Tiny the ratio's own error would exceed x's, so x is returned.
    // The constants are doubles converted to T where used: a conversion of a constant, which the JIT folds.
    internal readonly struct FastTanhKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const double Clamp = 7.90531110763549805, Tiny = 0.0004;
        private const double A1 = 4.89352455891786e-03, A3 = 6.37261928875436e-04, A5 = 1.48572235717979e-05;
        private const double A7 = 5.12229709037114e-08, A9 = -8.60467152213735e-11, A11 = 2.00018790482477e-13;
        private const double A13 = -2.76076847742355e-16;
        private const double B0 = 4.89352518554385e-03, B2 = 2.26843463243900e-03, B4 = 1.18534705686654e-04;
        private const double B6 = 1.19825839466702e-06;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused)
        {
            if (!(T.Abs(x) > T.CreateTruncating(Tiny)))
            {
                return x;
            }

            T c = T.Clamp(x, T.CreateTruncating(-Clamp), T.CreateTruncating(Clamp)), z = c * c;
            T p = T.FusedMultiplyAdd(z, T.CreateTruncating(A13), T.CreateTruncating(A11));
            p = T.FusedMultiplyAdd(z, p, T.CreateTruncating(A9));
            p = T.FusedMultiplyAdd(z, p, T.CreateTruncating(A7));
            p = T.FusedMultiplyAdd(z, p, T.CreateTruncating(A5));
            p = T.FusedMultiplyAdd(z, p, T.CreateTruncating(A3));
            p = T.FusedMultiplyAdd(z, p, T.CreateTruncating(A1));
            T q = T.FusedMultiplyAdd(z, T.CreateTruncating(B6), T.CreateTruncating(B4));
            q = T.FusedMultiplyAdd(z, q, T.CreateTruncating(B2));
            q = T.FusedMultiplyAdd(z, q, T.CreateTruncating(B0));
            return c * p / q;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector c = TOps.ClampNative(x, TOps.Broadcast(T.CreateTruncating(-Clamp)), TOps.Broadcast(T.CreateTruncating(Clamp)));
            TVector z = TOps.Multiply(c, c);
            TVector p = TOps.MultiplyAdd(z, TOps.Broadcast(T.CreateTruncating(A13)), TOps.Broadcast(T.CreateTruncating(A11)));
            p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(A9)));
            p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(A7)));
            p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(A5)));
            p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(A3)));
            p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(A1)));
            TVector q = TOps.MultiplyAdd(z, TOps.Broadcast(T.CreateTruncating(B6)), TOps.Broadcast(T.CreateTruncating(B4)));
            q = TOps.MultiplyAdd(z, q, TOps.Broadcast(T.CreateTruncating(B2)));
            q = TOps.MultiplyAdd(z, q, TOps.Broadcast(T.CreateTruncating(B0)));
            TVector ratio = TOps.Divide(TOps.Multiply(c, p), q);
            // x itself where |x| <= Tiny and where x is NaN (the comparison is false; the clamp lost the NaN).
            return TOps.ConditionalSelect(TOps.CompareGreaterThan(TOps.Abs(x), TOps.Broadcast(T.CreateTruncating(Tiny))), ratio, x);
        }
    }

    internal readonly struct FastSigmoidKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T x, T unused)
        {
            T half = T.CreateTruncating(0.5);
            return T.FusedMultiplyAdd(half, FastTanhKernel<T>.Invoke(half * x, x), half);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector x, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector half = TOps.Broadcast(T.CreateTruncating(0.5)), scaled = TOps.Multiply(half, x);
            return TOps.MultiplyAdd(half, FastTanhKernel<T>.Invoke<TVector, TOps>(scaled, scaled), half);
        }
    }

    // 1 - y² as (1 - y)(1 + y): the factor near zero is exact where y is near ±1, so the derivative keeps
    // its relative accuracy as tanh saturates, with or without FMA.
    internal readonly struct TanhBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => adjoint * ((T.One - output) * (T.One + output));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>
        {
            TVector one = TOps.Broadcast(T.One);
            return TOps.Multiply(adjoint, TOps.Multiply(TOps.Subtract(one, output), TOps.Add(one, output)));
        }
    }

    internal readonly struct SigmoidBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => adjoint * (output * (T.One - output));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Multiply(adjoint, TOps.Multiply(output, TOps.Subtract(TOps.Broadcast(T.One), output)));
    }

    internal readonly struct ReluBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => output > T.Zero ? adjoint : T.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.BitwiseAnd(adjoint, TOps.CompareGreaterThan(output, TOps.Zero));
    }

    // -expm1(-y), with the accurate expm1 of Activations.Elu.cs (1 - e^-y would cancel for tiny y).
    internal readonly struct SoftplusBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => adjoint * -ExpM1Kernel<T>.Invoke(-output);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> =>
            TOps.Multiply(adjoint, TOps.Negate(ExpM1Kernel<T>.Invoke<TVector, TOps>(TOps.Negate(output))));
    }
}
