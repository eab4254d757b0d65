using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

/// <summary>
/// The element-wise arithmetic of the generated step methods: sums, products, fused products and the squared
/// norm, on spans of equal length (checked, <see cref="ArgumentException"/> otherwise). The destination may be
/// one of the inputs (in place) but must not partly overlap one.
/// </summary>
/// <remarks>
/// Each method is compiled on its own, fully optimised at its first call (no tier-0 phase), and never inlined:
/// inlined into a generated step method, two dozen of them exhaust the JIT's inlining budget for that method,
/// which then leaves the width dispatch and the vector arithmetic as calls (measured: 635 inlinees in an LSTM
/// ForwardStep, its activations then called per vector). Compiled alone, each inlines all of its helpers and
/// costs one call.
/// </remarks>
public static class Elementwise
{
    /// <summary>destination = x + y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(new AddOperation<T>(), x, y, y, destination);

    /// <summary>destination = x + addend, for a scalar addend.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Add<T>(ReadOnlySpan<T> x, T addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(new AddScalarOperation<T>(addend), x, x, x, destination);

    /// <summary>destination = minuend - x, for a scalar minuend.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Subtract<T>(T minuend, ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(new SubtractFromScalarOperation<T>(minuend), x, x, x, destination);

    /// <summary>destination = -x.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Negate<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(new NegateOperation<T>(), x, x, x, destination);

    /// <summary>destination = x × y, element by element.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(new MultiplyOperation<T>(), x, y, y, destination);

    /// <summary>destination = x × scale, for a scalar scale.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(ReadOnlySpan<T> x, T scale, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(new MultiplyScalarOperation<T>(scale), x, x, x, destination);

    /// <summary>destination = x × y + addend, element by element, fused (one rounding) where the hardware has FMA.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(new MultiplyAddOperation<T>(), x, y, addend, destination);

    /// <summary>The sum of x[i]², accumulated in vector lanes (a different summation order than a scalar loop).</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static T SumOfSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T start = ref MemoryMarshal.GetReference(x);
        int length = x.Length;
        if (VectorWidth.Use512<T>(length))
        {
            return SumOfSquares<T, Vector512<T>, Vector512Ops<T>>(ref start, length);
        }
        if (VectorWidth.Use256<T>(length))
        {
            return SumOfSquares<T, Vector256<T>, Vector256Ops<T>>(ref start, length);
        }
        if (VectorWidth.Use128<T>(length))
        {
            return SumOfSquares<T, Vector128<T>, Vector128Ops<T>>(ref start, length);
        }
        T sum = T.Zero;
        for (int i = 0; i < length; i++)
        {
            sum += x[i] * x[i];
        }
        return sum;
    }

    /// <summary>
    /// destination[i] = operation(x[i], y[i], z[i]) in one pass, with the widest accelerated vector that fits and a
    /// scalar loop below one vector. Unary and binary operations pass an input twice; they ignore the extra ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Map<T, TOperation>(TOperation operation, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperation : struct, IElementwiseOperation<T>
    {
        int length = destination.Length;
        LengthGuard.Require(x.Length, length, nameof(x));
        LengthGuard.Require(y.Length, length, nameof(y));
        LengthGuard.Require(z.Length, length, nameof(z));
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        ref T zs = ref MemoryMarshal.GetReference(z);
        ref T d = ref MemoryMarshal.GetReference(destination);
        if (VectorWidth.Use512<T>(length))
        {
            Map<T, TOperation, Vector512<T>, Vector512Ops<T>>(operation, ref xs, ref ys, ref zs, ref d, length);
        }
        else if (VectorWidth.Use256<T>(length))
        {
            Map<T, TOperation, Vector256<T>, Vector256Ops<T>>(operation, ref xs, ref ys, ref zs, ref d, length);
        }
        else if (VectorWidth.Use128<T>(length))
        {
            Map<T, TOperation, Vector128<T>, Vector128Ops<T>>(operation, ref xs, ref ys, ref zs, ref d, length);
        }
        else
        {
            for (nuint i = 0; i < (nuint)length; i++)
            {
                Unsafe.Add(ref d, i) = operation.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref zs, i));
            }
        }
    }

    // The last vector ends at the last element and may overlap the one before it. It is computed before anything
    // is stored and stored last, so when the destination is also an input (in place) the overlapped lanes are
    // computed from the original values, twice, to the same result. Requires length >= TOps.Count.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<T, TOperation, TVector, TOps>(TOperation operation, ref T x, ref T y, ref T z, ref T destination, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperation : struct, IElementwiseOperation<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint count = (nuint)TOps.Count;
        nuint last = (nuint)length - count;
        TVector tail = operation.Invoke<TVector, TOps>(TOps.Load(in x, last), TOps.Load(in y, last), TOps.Load(in z, last));
        for (nuint i = 0; i < last; i += count)
        {
            TOps.Store(operation.Invoke<TVector, TOps>(TOps.Load(in x, i), TOps.Load(in y, i), TOps.Load(in z, i)), ref destination, i);
        }
        TOps.Store(tail, ref destination, last);
    }

    // Whole vectors up to the last full one, then the last vector (ending at the last element) with the lanes
    // already counted masked off. Requires length >= TOps.Count.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SumOfSquares<T, TVector, TOps>(ref T x, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint count = (nuint)TOps.Count;
        nuint last = (nuint)length - count;
        TVector sum = TOps.Zero;
        nuint i = 0;
        for (; i < last; i += count)
        {
            TVector v = TOps.Load(in x, i);
            sum = TOps.MultiplyAdd(v, v, sum);
        }
        TVector tail = TOps.BitwiseAnd(TOps.Load(in x, last), TOps.LanesFrom((int)(i - last)));
        return TOps.Sum(TOps.MultiplyAdd(tail, tail, sum));
    }

    private readonly struct AddOperation<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T y, T unused) => x + y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TOps>(TVector x, TVector y, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Add(x, y);
    }

    private readonly struct AddScalarOperation<T>(T addend) : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T unused1, T unused2) => x + addend;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TOps>(TVector x, TVector unused1, TVector unused2)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Add(x, TOps.Broadcast(addend));
    }

    private readonly struct SubtractFromScalarOperation<T>(T minuend) : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T unused1, T unused2) => minuend - x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TOps>(TVector x, TVector unused1, TVector unused2)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Subtract(TOps.Broadcast(minuend), x);
    }

    private readonly struct NegateOperation<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T unused1, T unused2) => -x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TOps>(TVector x, TVector unused1, TVector unused2)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Negate(x);
    }

    private readonly struct MultiplyOperation<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T y, T unused) => x * y;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TOps>(TVector x, TVector y, TVector unused)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Multiply(x, y);
    }

    private readonly struct MultiplyScalarOperation<T>(T scale) : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T unused1, T unused2) => x * scale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TOps>(TVector x, TVector unused1, TVector unused2)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Multiply(x, TOps.Broadcast(scale));
    }

    private readonly struct MultiplyAddOperation<T> : IElementwiseOperation<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T y, T addend) => T.FusedMultiplyAdd(x, y, addend);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Invoke<TVector, TOps>(TVector x, TVector y, TVector addend)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.MultiplyAdd(x, y, addend);
    }
}

/// <summary>
/// A function of up to three elements, written once for scalars and once for any vector width (see
/// <see cref="Elementwise.Map{T, TOperation}"/>). A struct, so that every use is specialised and inlined.
/// </summary>
internal interface IElementwiseOperation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    T Invoke(T x, T y, T z);

    TVector Invoke<TVector, TOps>(TVector x, TVector y, TVector z)
        where TVector : struct
        where TOps : IVectorOps<TVector, T>;
}
