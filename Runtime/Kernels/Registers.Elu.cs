using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of elu and its derivative.
public static partial class Registers
{
    /// <summary>elu(x) (<see cref="Activations.Elu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Elu<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>elu(x) (<see cref="Activations.Elu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Elu<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>elu(x) (<see cref="Activations.Elu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Elu<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>elu(x) (<see cref="Activations.Elu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Elu<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluKernel<T>.Invoke(x, x);

    /// <summary>y &gt; 0 ? dy : dy × (y + 1), the derivative of y = elu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> EluBackward<T>(Vector512<T> y, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(y, dy);

    /// <summary>y &gt; 0 ? dy : dy × (y + 1), the derivative of y = elu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> EluBackward<T>(Vector256<T> y, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(y, dy);

    /// <summary>y &gt; 0 ? dy : dy × (y + 1), the derivative of y = elu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> EluBackward<T>(Vector128<T> y, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(y, dy);

    /// <summary>y &gt; 0 ? dy : dy × (y + 1), the derivative of y = elu(x) in terms of y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T EluBackward<T>(T y, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.EluBackwardKernel<T>.Invoke(y, dy);
}
