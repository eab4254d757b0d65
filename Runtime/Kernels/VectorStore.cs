using System.Numerics;
using System.Runtime.CompilerServices;

namespace UnrolledRnn.Kernels;

/// <summary>The store of the kernels that either write their destination or add to it.</summary>
internal static class VectorStore
{
    /// <summary>destination[at ..] = value, or destination[at ..] += value when <paramref name="accumulate"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreOrAdd<T, TVector, TOps>(TVector value, ref T destination, nuint at, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TOps : IVectorOps<TVector, T> =>
        TOps.Store(accumulate ? TOps.Add(TOps.Load(in destination, at), value) : value, ref destination, at);
}
