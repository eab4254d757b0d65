using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of logsigmoid and its derivative.
public static partial class Registers
{
    /// <summary>logsigmoid(x) (<see cref="Activations.LogSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogSigmoid<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>logsigmoid(x) (<see cref="Activations.LogSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogSigmoid<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>logsigmoid(x) (<see cref="Activations.LogSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LogSigmoid<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>logsigmoid(x) (<see cref="Activations.LogSigmoid{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogSigmoid<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidKernel<T>.Invoke(x, x);

    /// <summary>dy × (1 - e^y), the derivative of y = logsigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogSigmoidBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>dy × (1 - e^y), the derivative of y = logsigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogSigmoidBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>dy × (1 - e^y), the derivative of y = logsigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LogSigmoidBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>dy × (1 - e^y), the derivative of y = logsigmoid(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogSigmoidBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.LogSigmoidBackwardKernel<T>.Invoke(y, dy);
}
