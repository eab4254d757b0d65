using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of sin and its derivative.
public static partial class Registers
{
    /// <summary>sin(x) (TensorPrimitives.Sin).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sin<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>sin(x) (TensorPrimitives.Sin).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sin<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>sin(x) (TensorPrimitives.Sin).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sin<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>sin(x) (TensorPrimitives.Sin).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sin<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinKernel<T>.Invoke(x, x);

    /// <summary>dy × cos x, the derivative of y = sin(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SinBackward<T>(Vector512<T> x, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, dy);

    /// <summary>dy × cos x, the derivative of y = sin(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SinBackward<T>(Vector256<T> x, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, dy);

    /// <summary>dy × cos x, the derivative of y = sin(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SinBackward<T>(Vector128<T> x, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, dy);

    /// <summary>dy × cos x, the derivative of y = sin(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SinBackward<T>(T x, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SinBackwardKernel<T>.Invoke(x, dy);
}
