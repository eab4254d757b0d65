using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of gelu and its derivative.
public static partial class Registers
{
    /// <summary>gelu(x) (<see cref="Activations.Gelu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Gelu<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>gelu(x) (<see cref="Activations.Gelu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Gelu<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>gelu(x) (<see cref="Activations.Gelu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Gelu<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>gelu(x) (<see cref="Activations.Gelu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Gelu<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluKernel<T>.Invoke(x, x);

    /// <summary>dy × gelu'(x), the derivative of y = gelu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> GeluBackward<T>(Vector512<T> x, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, dy);

    /// <summary>dy × gelu'(x), the derivative of y = gelu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> GeluBackward<T>(Vector256<T> x, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, dy);

    /// <summary>dy × gelu'(x), the derivative of y = gelu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> GeluBackward<T>(Vector128<T> x, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, dy);

    /// <summary>dy × gelu'(x), the derivative of y = gelu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GeluBackward<T>(T x, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.GeluBackwardKernel<T>.Invoke(x, dy);
}
