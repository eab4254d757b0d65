using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

// The adjoint kernels whose term reads two recorded values besides the adjoint: the divisor of a quotient
// (Activations.Quotient.cs) and the operands of max and min (Activations.Extremum.cs).
public static partial class Activations
{
    /// <summary>
    /// destination[i] = f(first[i], second[i], adjoint[i]) for a kernel f, or destination[i] += it when
    /// <paramref name="accumulate"/> (a constant at every call site), in one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyPairBackward<T, TKernel>(ReadOnlySpan<T> first, ReadOnlySpan<T> second, ReadOnlySpan<T> adjoint, Span<T> destination, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IPairKernel<T>
    {
        LengthGuard.Require(second.Length, first.Length, nameof(second));
        LengthGuard.Require(adjoint.Length, first.Length, nameof(adjoint));
        LengthGuard.Require(destination.Length, first.Length, nameof(destination));
        ref T a = ref MemoryMarshal.GetReference(first);
        ref T b = ref MemoryMarshal.GetReference(second);
        ref T dy = ref MemoryMarshal.GetReference(adjoint);
        ref T dx = ref MemoryMarshal.GetReference(destination);
        int length = first.Length;
        if (VectorWidth.Use512<T>(length))
        {
            ApplyPairBackward<T, TKernel, Vector512<T>, Vector512Ops<T>>(ref a, ref b, ref dy, ref dx, length, accumulate);
        }
        else if (VectorWidth.Use256<T>(length))
        {
            ApplyPairBackward<T, TKernel, Vector256<T>, Vector256Ops<T>>(ref a, ref b, ref dy, ref dx, length, accumulate);
        }
        else if (VectorWidth.Use128<T>(length))
        {
            ApplyPairBackward<T, TKernel, Vector128<T>, Vector128Ops<T>>(ref a, ref b, ref dy, ref dx, length, accumulate);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                T term = TKernel.Invoke(first[i], second[i], adjoint[i]);
                destination[i] = accumulate ? destination[i] + term : term;
            }
        }
    }

    // As ApplyBackward: the overlapping last vector is computed from the original values before anything is stored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyPairBackward<T, TKernel, TVector, TOps>(ref T first, ref T second, ref T adjoint, ref T destination, int length, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IPairKernel<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T>
    {
        nuint count = (nuint)TOps.Count;
        nuint last = (nuint)length - count;
        TVector tail = TKernel.Invoke<TVector, TOps>(TOps.Load(in first, last), TOps.Load(in second, last), TOps.Load(in adjoint, last));
        if (accumulate)
        {
            tail = TOps.Add(TOps.Load(in destination, last), tail);
        }

        for (nuint i = 0; i < last; i += count)
        {
            TVector term = TKernel.Invoke<TVector, TOps>(TOps.Load(in first, i), TOps.Load(in second, i), TOps.Load(in adjoint, i));
            VectorStore.StoreOrAdd<T, TVector, TOps>(term, ref destination, i, accumulate);
        }

        TOps.Store(tail, ref destination, last);
    }

    /// <summary>An adjoint term computed from two recorded values and the adjoint.</summary>
    internal interface IPairKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Invoke(T first, T second, T adjoint);

        static abstract TVector Invoke<TVector, TOps>(TVector first, TVector second, TVector adjoint)
            where TVector : struct
            where TOps : IVectorOps<TVector, T>;
    }
}
