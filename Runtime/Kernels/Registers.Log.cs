using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of log and its derivative.
public static partial class Registers
{
    /// <summary>log(x), as <c>TensorPrimitives.Log</c> (NaN below zero, -∞ at zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector512Ops<T>.Log(x);

    /// <summary>log(x), as <c>TensorPrimitives.Log</c> (NaN below zero, -∞ at zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector256Ops<T>.Log(x);

    /// <summary>log(x), as <c>TensorPrimitives.Log</c> (NaN below zero, -∞ at zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Vector128Ops<T>.Log(x);

    /// <summary>log(x) (NaN below zero, -∞ at zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);

    /// <summary>dy × e^-y, the derivative 1 / x of y = log(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>dy × e^-y, the derivative 1 / x of y = log(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>dy × e^-y, the derivative 1 / x of y = log(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LogBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>dy × e^-y, the derivative 1 / x of y = log(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogBackwardKernel<T>.Invoke(y, dy);
}
