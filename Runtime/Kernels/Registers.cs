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
public static partial class Registers
{

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
}
