using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The register forms of silu and its derivative.
public static partial class Registers
{
    /// <summary>silu(x) (<see cref="Activations.Silu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Silu<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, x);

    /// <summary>silu(x) (<see cref="Activations.Silu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Silu<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, x);

    /// <summary>silu(x) (<see cref="Activations.Silu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Silu<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, x);

    /// <summary>silu(x) (<see cref="Activations.Silu{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Silu<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluKernel<T>.Invoke(x, x);

    /// <summary>dy × s (1 + x (1 - s)), the derivative of y = silu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SiluBackward<T>(Vector512<T> x, Vector512<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluBackwardKernel<T>.Invoke<Vector512<T>, Vector512Ops<T>>(x, dy);

    /// <summary>dy × s (1 + x (1 - s)), the derivative of y = silu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SiluBackward<T>(Vector256<T> x, Vector256<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluBackwardKernel<T>.Invoke<Vector256<T>, Vector256Ops<T>>(x, dy);

    /// <summary>dy × s (1 + x (1 - s)), the derivative of y = silu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SiluBackward<T>(Vector128<T> x, Vector128<T> dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluBackwardKernel<T>.Invoke<Vector128<T>, Vector128Ops<T>>(x, dy);

    /// <summary>dy × s (1 + x (1 - s)), the derivative of y = silu(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SiluBackward<T>(T x, T dy)
        where T : unmanaged, IFloatingPointIeee754<T> => Activations.SiluBackwardKernel<T>.Invoke(x, dy);
}
