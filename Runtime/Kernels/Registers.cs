using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

/// <summary>
/// The register forms of the primitives: what the generated step code calls inside a fused loop, where a step's
/// element-wise chain (bias adds, activations, the cell update) runs over vector-width chunks with its values in
/// registers instead of one kernel call per operation. Each function has an overload per register width
/// (<see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/>) and a scalar one for the tail,
/// all computing what the span kernels (<see cref="Activations"/>) compute: the FastActivations approximations and the
/// derivatives are the same element kernels. Everything is inlined into the step method.
/// </summary>
/// <remarks>
/// The accurate tanh and sigmoid take e^x in double (inlined: the runtime's vector Exp of double is a call), so that
/// e^{2|x|} - 1 keeps its digits: tanh is (e^{2|x|} - 1) / (e^{2|x|} + 1) with x's sign, by its Taylor series below
/// |x| = 1/16; sigmoid is 1 / (1 + e^-x). For float, numerator and denominator are rounded to float and divided there
/// (a float division is half the cost of two double ones): about one ulp more than a correctly rounded result. The
/// errors are measured in RegistersTests.
/// </remarks>
public static class Registers
{
    private const double TaylorLimit = 0.0625;

    // |x| is clamped to these, where e^{2|x|} ± 1 both round to e^{2|x|} in double (beyond 2^53), so the ratio is
    // exactly 1, as tanh rounds; for float, e^88 still fits the float range once the ratio's terms are rounded.
    private const float SingleSaturation = 44f;
    private const double DoubleSaturation = 20;

    /// <summary>The <see cref="Vector512{T}"/> at <paramref name="offset"/> of <paramref name="source"/>; throws when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load512<T>(ReadOnlySpan<T> source, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector512<T>.Count, source.Length);
        return Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)offset);
    }

    /// <summary>The <see cref="Vector512{T}"/> at <paramref name="offset"/> of <paramref name="source"/>; throws when it does not fit.</summary>
    /// <remarks>The overload for a writable span spares the step method a conversion to <see cref="ReadOnlySpan{T}"/> per load.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load512<T>(Span<T> source, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector512<T>.Count, source.Length);
        return Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)offset);
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="offset"/> of <paramref name="destination"/>; throws when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector512<T> value, Span<T> destination, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector512<T>.Count, destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)offset);
    }

    /// <summary>The <see cref="Vector256{T}"/> at <paramref name="offset"/> of <paramref name="source"/>; throws when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load256<T>(ReadOnlySpan<T> source, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector256<T>.Count, source.Length);
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)offset);
    }

    /// <summary>The <see cref="Vector256{T}"/> at <paramref name="offset"/> of <paramref name="source"/>; throws when it does not fit.</summary>
    /// <remarks>The overload for a writable span spares the step method a conversion to <see cref="ReadOnlySpan{T}"/> per load.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load256<T>(Span<T> source, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector256<T>.Count, source.Length);
        return Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)offset);
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="offset"/> of <paramref name="destination"/>; throws when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector256<T> value, Span<T> destination, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector256<T>.Count, destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)offset);
    }

    /// <summary>The <see cref="Vector128{T}"/> at <paramref name="offset"/> of <paramref name="source"/>; throws when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load128<T>(ReadOnlySpan<T> source, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector128<T>.Count, source.Length);
        return Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)offset);
    }

    /// <summary>The <see cref="Vector128{T}"/> at <paramref name="offset"/> of <paramref name="source"/>; throws when it does not fit.</summary>
    /// <remarks>The overload for a writable span spares the step method a conversion to <see cref="ReadOnlySpan{T}"/> per load.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load128<T>(Span<T> source, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector128<T>.Count, source.Length);
        return Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)offset);
    }

    /// <summary>Stores <paramref name="value"/> at <paramref name="offset"/> of <paramref name="destination"/>; throws when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector128<T> value, Span<T> destination, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.RequireVectorWithin(offset, Vector128<T>.Count, destination.Length);
        value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)offset);
    }

    /// <summary>tanh(x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tanh<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector512<double> x64 = x.AsDouble(), magnitude = Vector512.Min(Vector512.Abs(x64), Vector512.Create(DoubleSaturation));
            Vector512<double> e = ExpInDouble<Vector512<double>, Vector512Ops<double>>(magnitude + magnitude);
            return TanhFromRatio<Vector512<double>, Vector512Ops<double>, double>(x64, magnitude, (e - Vector512<double>.One) / (e + Vector512<double>.One)).As<double, T>();
        }

        Vector512<float> x32 = x.AsSingle(), m32 = Vector512.Min(Vector512.Abs(x32), Vector512.Create(SingleSaturation));
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(m32);
        Vector512<double> eLower = ExpInDouble<Vector512<double>, Vector512Ops<double>>(lower + lower), eUpper = ExpInDouble<Vector512<double>, Vector512Ops<double>>(upper + upper);
        Vector512<float> ratio = Vector512.Narrow(eLower - Vector512<double>.One, eUpper - Vector512<double>.One)
            / Vector512.Narrow(eLower + Vector512<double>.One, eUpper + Vector512<double>.One);
        return TanhFromRatio<Vector512<float>, Vector512Ops<float>, float>(x32, m32, ratio).As<float, T>();
    }

    /// <summary>tanh(x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector256<double> x64 = x.AsDouble(), magnitude = Vector256.Min(Vector256.Abs(x64), Vector256.Create(DoubleSaturation));
            Vector256<double> e = ExpInDouble<Vector256<double>, Vector256Ops<double>>(magnitude + magnitude);
            return TanhFromRatio<Vector256<double>, Vector256Ops<double>, double>(x64, magnitude, (e - Vector256<double>.One) / (e + Vector256<double>.One)).As<double, T>();
        }

        Vector256<float> x32 = x.AsSingle(), m32 = Vector256.Min(Vector256.Abs(x32), Vector256.Create(SingleSaturation));
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(m32);
        Vector256<double> eLower = ExpInDouble<Vector256<double>, Vector256Ops<double>>(lower + lower), eUpper = ExpInDouble<Vector256<double>, Vector256Ops<double>>(upper + upper);
        Vector256<float> ratio = Vector256.Narrow(eLower - Vector256<double>.One, eUpper - Vector256<double>.One)
            / Vector256.Narrow(eLower + Vector256<double>.One, eUpper + Vector256<double>.One);
        return TanhFromRatio<Vector256<float>, Vector256Ops<float>, float>(x32, m32, ratio).As<float, T>();
    }

    /// <summary>tanh(x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Tanh<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Vector128<double> x64 = x.AsDouble(), magnitude = Vector128.Min(Vector128.Abs(x64), Vector128.Create(DoubleSaturation));
            Vector128<double> e = ExpInDouble<Vector128<double>, Vector128Ops<double>>(magnitude + magnitude);
            return TanhFromRatio<Vector128<double>, Vector128Ops<double>, double>(x64, magnitude, (e - Vector128<double>.One) / (e + Vector128<double>.One)).As<double, T>();
        }

        Vector128<float> x32 = x.AsSingle(), m32 = Vector128.Min(Vector128.Abs(x32), Vector128.Create(SingleSaturation));
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(m32);
        Vector128<double> eLower = ExpInDouble<Vector128<double>, Vector128Ops<double>>(lower + lower), eUpper = ExpInDouble<Vector128<double>, Vector128Ops<double>>(upper + upper);
        Vector128<float> ratio = Vector128.Narrow(eLower - Vector128<double>.One, eUpper - Vector128<double>.One)
            / Vector128.Narrow(eLower + Vector128<double>.One, eUpper + Vector128<double>.One);
        return TanhFromRatio<Vector128<float>, Vector128Ops<float>, float>(x32, m32, ratio).As<float, T>();
    }

    /// <summary>tanh(x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(double.Tanh(double.CreateTruncating(x)));

    /// <summary>sigmoid(x) = 1 / (1 + e^-x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sigmoid<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return (Vector512<double>.One / (Vector512<double>.One + ExpInDouble<Vector512<double>, Vector512Ops<double>>(-x.AsDouble()))).As<double, T>();
        }

        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(-x.AsSingle());
        Vector512<float> denominator = Vector512.Narrow(Vector512<double>.One + ExpInDouble<Vector512<double>, Vector512Ops<double>>(lower),
            Vector512<double>.One + ExpInDouble<Vector512<double>, Vector512Ops<double>>(upper));
        return (Vector512<float>.One / denominator).As<float, T>();
    }

    /// <summary>sigmoid(x) = 1 / (1 + e^-x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return (Vector256<double>.One / (Vector256<double>.One + ExpInDouble<Vector256<double>, Vector256Ops<double>>(-x.AsDouble()))).As<double, T>();
        }

        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(-x.AsSingle());
        Vector256<float> denominator = Vector256.Narrow(Vector256<double>.One + ExpInDouble<Vector256<double>, Vector256Ops<double>>(lower),
            Vector256<double>.One + ExpInDouble<Vector256<double>, Vector256Ops<double>>(upper));
        return (Vector256<float>.One / denominator).As<float, T>();
    }

    /// <summary>sigmoid(x) = 1 / (1 + e^-x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sigmoid<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return (Vector128<double>.One / (Vector128<double>.One + ExpInDouble<Vector128<double>, Vector128Ops<double>>(-x.AsDouble()))).As<double, T>();
        }

        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(-x.AsSingle());
        Vector128<float> denominator = Vector128.Narrow(Vector128<double>.One + ExpInDouble<Vector128<double>, Vector128Ops<double>>(lower),
            Vector128<double>.One + ExpInDouble<Vector128<double>, Vector128Ops<double>>(upper));
        return (Vector128<float>.One / denominator).As<float, T>();
    }

    /// <summary>sigmoid(x) = 1 / (1 + e^-x), evaluated in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(1 / (1 + double.Exp(-double.CreateTruncating(x))));

    /// <summary>The FastActivations tanh (<see cref="Activations.FastTanh{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FastTanh<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastTanhKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>The FastActivations tanh (<see cref="Activations.FastTanh{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FastTanh<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastTanhKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>The FastActivations tanh (<see cref="Activations.FastTanh{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FastTanh<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastTanhKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>The FastActivations tanh (<see cref="Activations.FastTanh{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FastTanh<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastTanhKernel<T>.Invoke(x, x);

    /// <summary>The FastActivations sigmoid (<see cref="Activations.FastSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FastSigmoid<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastSigmoidKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>The FastActivations sigmoid (<see cref="Activations.FastSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FastSigmoid<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastSigmoidKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>The FastActivations sigmoid (<see cref="Activations.FastSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FastSigmoid<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastSigmoidKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>The FastActivations sigmoid (<see cref="Activations.FastSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FastSigmoid<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.FastSigmoidKernel<T>.Invoke(x, x);

    /// <summary>max(x, 0) (<see cref="Activations.Relu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Relu<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>max(x, 0) (<see cref="Activations.Relu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Relu<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>max(x, 0) (<see cref="Activations.Relu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Relu<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>max(x, 0) (<see cref="Activations.Relu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Relu<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluKernel<T>.Invoke(x, x);

    /// <summary>softplus(x) (<see cref="Activations.Softplus{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Softplus<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>softplus(x) (<see cref="Activations.Softplus{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Softplus<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>softplus(x) (<see cref="Activations.Softplus{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Softplus<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>softplus(x) (<see cref="Activations.Softplus{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Softplus<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusKernel<T>.Invoke(x, x);

    /// <summary>e^x, as <c>TensorPrimitives.Exp</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector512Ops<T>.Exp(x);

    /// <summary>e^x, as <c>TensorPrimitives.Exp</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector256Ops<T>.Exp(x);

    /// <summary>e^x, as <c>TensorPrimitives.Exp</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector128Ops<T>.Exp(x);

    /// <summary>e^x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);

    /// <summary>dy × (1 - y²), the derivative of y = tanh(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> TanhBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.TanhBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>dy × (1 - y²), the derivative of y = tanh(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> TanhBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.TanhBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>dy × (1 - y²), the derivative of y = tanh(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> TanhBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.TanhBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>dy × (1 - y²), the derivative of y = tanh(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TanhBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.TanhBackwardKernel<T>.Invoke(y, dy);

    /// <summary>dy × y × (1 - y), the derivative of y = sigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SigmoidBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SigmoidBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>dy × y × (1 - y), the derivative of y = sigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SigmoidBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SigmoidBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>dy × y × (1 - y), the derivative of y = sigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SigmoidBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SigmoidBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>dy × y × (1 - y), the derivative of y = sigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SigmoidBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SigmoidBackwardKernel<T>.Invoke(y, dy);

    /// <summary>y &gt; 0 ? dy : 0, the derivative of y = relu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ReluBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>y &gt; 0 ? dy : 0, the derivative of y = relu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ReluBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>y &gt; 0 ? dy : 0, the derivative of y = relu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ReluBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>y &gt; 0 ? dy : 0, the derivative of y = relu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReluBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.ReluBackwardKernel<T>.Invoke(y, dy);

    /// <summary>dy × (1 - e^-y), the derivative of y = softplus(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SoftplusBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>dy × (1 - e^-y), the derivative of y = softplus(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SoftplusBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>dy × (1 - e^-y), the derivative of y = softplus(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SoftplusBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>dy × (1 - e^-y), the derivative of y = softplus(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SoftplusBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SoftplusBackwardKernel<T>.Invoke(y, dy);

    // tanh(x) from |x| (clamped) and the ratio (e^{2|x|} - 1) / (e^{2|x|} + 1): that ratio with x's sign, and below
    // |x| = 1/16, where e^{2|x|} - 1 cancels, x (1 - x²/3 + 2x⁴/15 - 17x⁶/315 + 62x⁸/2835 - 1382x¹⁰/155925) (truncation below 1e-17).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector TanhFromRatio<TVector, TOps, T>(TVector x, TVector magnitude, TVector ratio)
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TVector large = TOps.ConditionalSelect(TOps.CompareGreaterThan(TOps.Zero, x), TOps.Negate(ratio), ratio);
        TVector z = TOps.Multiply(x, x);
        TVector p = TOps.MultiplyAdd(z, TOps.Broadcast(T.CreateTruncating(-1382.0 / 155925)), TOps.Broadcast(T.CreateTruncating(62.0 / 2835)));
        p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(-17.0 / 315)));
        p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(2.0 / 15)));
        p = TOps.MultiplyAdd(z, p, TOps.Broadcast(T.CreateTruncating(-1.0 / 3)));
        TVector small = TOps.Multiply(x, TOps.MultiplyAdd(z, p, TOps.Broadcast(T.One)));
        return TOps.ConditionalSelect(TOps.CompareGreaterThan(TOps.Broadcast(T.CreateTruncating(TaylorLimit)), magnitude), small, large);
    }

    // e^x in double, inlined (the runtime's vector Exp of double is a call): x = n ln2 + r with |r| <= ln2/2, e^r by its
    // Taylor polynomial of degree 12 (truncation 2e-16), times 2^n. x is clamped to [-708, 709], where 2^n is normal:
    // callers need no more (tanh saturates long before, and sigmoid's e^-x beyond it rounds 1 + e^-x alike).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector ExpInDouble<TVector, TOps>(TVector x)
        where TVector : struct
        where TOps : IVectorOps<TVector, double>
    {
        const double RoundingShift = 6755399441055744.0; // 1.5 × 2^52: adding it rounds to an integer
        const double Ln2High = 0.693147180369123816490, Ln2Low = 1.90821492927058770002e-10;
        TVector clamped = TOps.Max(TOps.Broadcast(-708.0), TOps.Min(x, TOps.Broadcast(709.0)));
        TVector shift = TOps.Broadcast(RoundingShift);
        TVector n = TOps.Subtract(TOps.MultiplyAdd(clamped, TOps.Broadcast(1.4426950408889634), shift), shift);
        TVector r = TOps.MultiplyAdd(n, TOps.Broadcast(-Ln2High), clamped);
        r = TOps.MultiplyAdd(n, TOps.Broadcast(-Ln2Low), r);
        TVector p = TOps.Broadcast(1.0 / 479001600);
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 39916800));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 3628800));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 362880));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 40320));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 5040));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 720));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 120));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 24));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0 / 6));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(0.5));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0));
        p = TOps.MultiplyAdd(p, r, TOps.Broadcast(1.0));
        return TOps.Multiply(p, TOps.PowerOfTwo(n));
    }
}
