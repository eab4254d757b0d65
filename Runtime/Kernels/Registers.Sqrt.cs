using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of sqrt and its derivative.
public static partial class Registers
{
    /// <summary>√x, as <c>TensorPrimitives.Sqrt</c> (correctly rounded; NaN below zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector512Ops<T>.Sqrt(x);

    /// <summary>√x, as <c>TensorPrimitives.Sqrt</c> (correctly rounded; NaN below zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector256Ops<T>.Sqrt(x);

    /// <summary>√x, as <c>TensorPrimitives.Sqrt</c> (correctly rounded; NaN below zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector128Ops<T>.Sqrt(x);

    /// <summary>√x, as <c>TensorPrimitives.Sqrt</c> (correctly rounded; NaN below zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sqrt<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);

    /// <summary>dy / (2 y), the derivative of y = √x in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SqrtBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SqrtBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>dy / (2 y), the derivative of y = √x in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SqrtBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SqrtBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>dy / (2 y), the derivative of y = √x in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SqrtBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SqrtBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>dy / (2 y), the derivative of y = √x in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SqrtBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SqrtBackwardKernel<T>.Invoke(y, dy);
}
