using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// sqrt: the forward pass is TensorPrimitives.Sqrt (correctly rounded); its derivative 1 / (2 √x) in terms of y = √x.
public static partial class Activations
{
    /// <summary>dx = dy / (2 y), the derivative of y = √x in terms of y: +∞ × sign(dy) at y = 0, as PyTorch gives.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = √x, as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/dx; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SqrtBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SqrtBackwardKernel<T>>(output, adjoint, destination, accumulate: false);

    /// <summary>dx += dy / (2 y): <see cref="SqrtBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="output">y = √x, as recorded by the forward pass.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/dx so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void SqrtBackwardAdd<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, SqrtBackwardKernel<T>>(output, adjoint, destination, accumulate: true);

    internal readonly struct SqrtBackwardKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T output, T adjoint) => adjoint / (output + output);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector output, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Divide(adjoint, TOps.Add(output, output));
    }
}
