using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of square and its derivative.
public static partial class Registers
{
    /// <summary>square(x) (TensorPrimitives.Multiply (x × x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Square<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>square(x) (TensorPrimitives.Multiply (x × x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Square<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>square(x) (TensorPrimitives.Multiply (x × x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Square<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>square(x) (TensorPrimitives.Multiply (x × x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Square<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareKernel<T>.Invoke(x, x);

    /// <summary>dy × 2x, the derivative of y = square(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SquareBackward<T>(Vector512<T> x, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, dy);

    /// <summary>dy × 2x, the derivative of y = square(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SquareBackward<T>(Vector256<T> x, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, dy);

    /// <summary>dy × 2x, the derivative of y = square(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SquareBackward<T>(Vector128<T> x, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, dy);

    /// <summary>dy × 2x, the derivative of y = square(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SquareBackward<T>(T x, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SquareBackwardKernel<T>.Invoke(x, dy);
}
