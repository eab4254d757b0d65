using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of abs and its derivative.
public static partial class Registers
{
    /// <summary>abs(x) (TensorPrimitives.Abs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>abs(x) (TensorPrimitives.Abs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>abs(x) (TensorPrimitives.Abs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>abs(x) (TensorPrimitives.Abs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsKernel<T>.Invoke(x, x);

    /// <summary>dy × sign(x), the derivative of y = abs(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AbsBackward<T>(Vector512<T> x, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, dy);

    /// <summary>dy × sign(x), the derivative of y = abs(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AbsBackward<T>(Vector256<T> x, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, dy);

    /// <summary>dy × sign(x), the derivative of y = abs(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AbsBackward<T>(Vector128<T> x, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, dy);

    /// <summary>dy × sign(x), the derivative of y = abs(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AbsBackward<T>(T x, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.AbsBackwardKernel<T>.Invoke(x, dy);
}
