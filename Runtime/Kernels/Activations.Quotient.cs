using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

// y = a / b: the forward pass is TensorPrimitives.Divide, and so is dL/da = dL/dy / b where it is assigned; these are
// the accumulating form of dL/da and both forms of dL/db = -dL/dy * a / b², written as PyTorch 1.13 writes it,
// -dL/dy * ((a / b) / b), in terms of the recorded quotient y.
public static partial class Activations
{
    /// <summary>da += dy / b: the numerator's adjoint of y = a / b, added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="divisor">b.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/da so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void QuotientNumeratorBackwardAdd<T>(ReadOnlySpan<T> divisor, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyBackward<T, QuotientNumeratorKernel<T>>(divisor, adjoint, destination, accumulate: true);

    /// <summary>db = -dy * (y / b): the denominator's adjoint of y = a / b, in terms of the recorded quotient y.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="quotient">y = a / b, as recorded by the forward pass.</param>
    /// <param name="divisor">b.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">Receives dL/db; may be the same span as <paramref name="adjoint"/>.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void QuotientDivisorBackward<T>(ReadOnlySpan<T> quotient, ReadOnlySpan<T> divisor, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyPairBackward<T, QuotientDivisorKernel<T>>(quotient, divisor, adjoint, destination, accumulate: false);

    /// <summary>db -= dy * (y / b): <see cref="QuotientDivisorBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="quotient">y = a / b, as recorded by the forward pass.</param>
    /// <param name="divisor">b.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/db so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void QuotientDivisorBackwardAdd<T>(ReadOnlySpan<T> quotient, ReadOnlySpan<T> divisor, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyPairBackward<T, QuotientDivisorKernel<T>>(quotient, divisor, adjoint, destination, accumulate: true);

    internal readonly struct QuotientNumeratorKernel<T> : IElementKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T divisor, T adjoint) => adjoint / divisor;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector divisor, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Divide(adjoint, divisor);
    }

    // -dy * (y / b): the accumulating form adds it, which is exactly db - dy * (y / b).
    internal readonly struct QuotientDivisorKernel<T> : IPairKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Invoke(T quotient, T divisor, T adjoint) => -(adjoint * (quotient / divisor));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVector Invoke<TVector, TOps>(TVector quotient, TVector divisor, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T> => TOps.Negate(TOps.Multiply(adjoint, TOps.Divide(quotient, divisor)));
    }
}
