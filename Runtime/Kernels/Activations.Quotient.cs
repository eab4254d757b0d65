using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        ApplyDivisorBackward(quotient, divisor, adjoint, destination, accumulate: false);

    /// <summary>db -= dy * (y / b): <see cref="QuotientDivisorBackward{T}"/> added to an adjoint that other paths already reached.</summary>
    /// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/> (others run scalar).</typeparam>
    /// <param name="quotient">y = a / b, as recorded by the forward pass.</param>
    /// <param name="divisor">b.</param>
    /// <param name="adjoint">dL/dy.</param>
    /// <param name="destination">dL/db so far; gains this path's term.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void QuotientDivisorBackwardAdd<T>(ReadOnlySpan<T> quotient, ReadOnlySpan<T> divisor, ReadOnlySpan<T> adjoint, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ApplyDivisorBackward(quotient, divisor, adjoint, destination, accumulate: true);

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyDivisorBackward<T>(ReadOnlySpan<T> quotient, ReadOnlySpan<T> divisor, ReadOnlySpan<T> adjoint, Span<T> destination, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LengthGuard.Require(divisor.Length, quotient.Length, nameof(divisor));
        LengthGuard.Require(adjoint.Length, quotient.Length, nameof(adjoint));
        LengthGuard.Require(destination.Length, quotient.Length, nameof(destination));
        ref T y = ref MemoryMarshal.GetReference(quotient);
        ref T b = ref MemoryMarshal.GetReference(divisor);
        ref T dy = ref MemoryMarshal.GetReference(adjoint);
        ref T db = ref MemoryMarshal.GetReference(destination);
        int length = quotient.Length;
        if (VectorWidth.Use512<T>(length))
        {
            ApplyDivisorBackward<T, Vector512<T>, Vector512Ops<T>>(ref y, ref b, ref dy, ref db, length, accumulate);
        }
        else if (VectorWidth.Use256<T>(length))
        {
            ApplyDivisorBackward<T, Vector256<T>, Vector256Ops<T>>(ref y, ref b, ref dy, ref db, length, accumulate);
        }
        else if (VectorWidth.Use128<T>(length))
        {
            ApplyDivisorBackward<T, Vector128<T>, Vector128Ops<T>>(ref y, ref b, ref dy, ref db, length, accumulate);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                T term = adjoint[i] * (quotient[i] / divisor[i]);
                destination[i] = accumulate ? destination[i] - term : -term;
            }
        }
    }

    // As ApplyBackward: the overlapping last vector is computed from the original values before anything is stored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyDivisorBackward<T, TVector, TOps>(ref T quotient, ref T divisor, ref T adjoint, ref T destination, int length, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint count = (nuint)TOps.Count;
        nuint last = (nuint)length - count;
        TVector tail = DivisorTerm<T, TVector, TOps>(ref quotient, ref divisor, ref adjoint, last);
        if (accumulate)
        {
            tail = TOps.Subtract(TOps.Load(in destination, last), tail);
        }
        else
        {
            tail = TOps.Negate(tail);
        }

        for (nuint i = 0; i < last; i += count)
        {
            TVector term = DivisorTerm<T, TVector, TOps>(ref quotient, ref divisor, ref adjoint, i);
            TOps.Store(accumulate ? TOps.Subtract(TOps.Load(in destination, i), term) : TOps.Negate(term), ref destination, i);
        }

        TOps.Store(tail, ref destination, last);
    }

    /// <summary>dy * (y / b) at one vector's offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector DivisorTerm<T, TVector, TOps>(ref T quotient, ref T divisor, ref T adjoint, nuint at)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T> =>
        TOps.Multiply(TOps.Load(in adjoint, at), TOps.Divide(TOps.Load(in quotient, at), TOps.Load(in divisor, at)));
}
