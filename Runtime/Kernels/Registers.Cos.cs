using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of cos and its derivative.
public static partial class Registers
{
    /// <summary>cos(x) (TensorPrimitives.Cos).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Cos<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>cos(x) (TensorPrimitives.Cos).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Cos<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>cos(x) (TensorPrimitives.Cos).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Cos<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>cos(x) (TensorPrimitives.Cos).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Cos<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosKernel<T>.Invoke(x, x);

    /// <summary>dy × -sin x, the derivative of y = cos(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> CosBackward<T>(Vector512<T> x, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, dy);

    /// <summary>dy × -sin x, the derivative of y = cos(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> CosBackward<T>(Vector256<T> x, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, dy);

    /// <summary>dy × -sin x, the derivative of y = cos(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> CosBackward<T>(Vector128<T> x, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, dy);

    /// <summary>dy × -sin x, the derivative of y = cos(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CosBackward<T>(T x, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.CosBackwardKernel<T>.Invoke(x, dy);
}
