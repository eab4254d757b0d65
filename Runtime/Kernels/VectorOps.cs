using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace UnrolledRnn.Kernels;

/// <summary>
/// The vector operations the kernels need, abstracted over the register width so that each kernel is
/// written once and instantiated for <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/> and
/// <see cref="Vector128{T}"/>. Every type argument is a struct, so the JIT specialises each instantiation
/// and inlines these calls into plain instructions. <typeparamref name="T"/> is float or double only
/// (see <see cref="VectorWidth.IsVectorizable{T}"/>); the <c>else</c> branches below are for double.
/// </summary>
internal interface IVectorOps<TVector, T>
    where TVector : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(ref readonly T source, nuint elementOffset);

    static abstract void Store(TVector value, ref T destination, nuint elementOffset);

    static abstract TVector Broadcast(T value);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    static abstract TVector Divide(TVector left, TVector right);

    /// <summary>left × right + addend, fused (one rounding) wherever the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>IEEE maximum: NaN propagates, and max(-0, +0) = +0.</summary>
    static abstract TVector Max(TVector left, TVector right);

    /// <summary>IEEE minimum: NaN propagates, and min(-0, +0) = -0.</summary>
    static abstract TVector Min(TVector left, TVector right);

    /// <summary>
    /// value limited to [min, max] by the hardware's minimum and maximum (one instruction each, where the IEEE
    /// <see cref="Min"/> and <see cref="Max"/> take several): a NaN lane comes out unspecified, so callers that must
    /// propagate NaN select the input back.
    /// </summary>
    static abstract TVector ClampNative(TVector value, TVector min, TVector max);

    static abstract TVector Abs(TVector value);

    static abstract TVector Negate(TVector value);

    static abstract TVector Exp(TVector value);

    static abstract TVector Log(TVector value);

    /// <summary>The correctly rounded square root (IEEE: NaN below zero, sqrt(-0) = -0).</summary>
    static abstract TVector Sqrt(TVector value);

    /// <summary>sin, to within the runtime's vector Sin (a few ulps).</summary>
    static abstract TVector Sin(TVector value);

    /// <summary>cos, to within the runtime's vector Cos (a few ulps).</summary>
    static abstract TVector Cos(TVector value);

    /// <summary>2^n per lane, for lanes holding integers n in the normal exponent range (-1022..1023 for double, -126..127 for float).</summary>
    static abstract TVector PowerOfTwo(TVector integral);

    /// <summary>All-ones lanes where left == right, zero lanes elsewhere.</summary>
    static abstract TVector CompareEqual(TVector left, TVector right);

    /// <summary>All-ones lanes where left &gt; right, zero lanes elsewhere.</summary>
    static abstract TVector CompareGreaterThan(TVector left, TVector right);

    static abstract TVector BitwiseAnd(TVector left, TVector right);

    /// <summary>Per lane: mask ? ifTrue : ifFalse.</summary>
    static abstract TVector ConditionalSelect(TVector mask, TVector ifTrue, TVector ifFalse);

    /// <summary>A mask selecting the lanes whose index is at least <paramref name="firstLane"/>.</summary>
    static abstract TVector LanesFrom(int firstLane);

    /// <summary>The sum of all lanes.</summary>
    static abstract T Sum(TVector value);

    /// <summary>The sum of the vector's 128-bit parts: a first, cheap step of a horizontal sum.</summary>
    static abstract Vector128<T> SumTo128(TVector value);
}

/// <summary>Chooses the widest accelerated vector for a run of a given length.</summary>
internal static class VectorWidth
{
    /// <summary>The kernels vectorise float and double; any other <typeparamref name="T"/> runs scalar.</summary>
    public static bool IsVectorizable<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    /// <summary>Whether <see cref="Vector512{T}"/> is accelerated and fits in <paramref name="length"/>.</summary>
    public static bool Use512<T>(int length) =>
        Vector512.IsHardwareAccelerated && IsVectorizable<T>() && length >= Vector512<T>.Count;

    /// <summary>Whether <see cref="Vector256{T}"/> is accelerated and fits in <paramref name="length"/>.</summary>
    public static bool Use256<T>(int length) =>
        Vector256.IsHardwareAccelerated && IsVectorizable<T>() && length >= Vector256<T>.Count;

    /// <summary>Whether <see cref="Vector128{T}"/> is accelerated and fits in <paramref name="length"/>.</summary>
    public static bool Use128<T>(int length) =>
        Vector128.IsHardwareAccelerated && IsVectorizable<T>() && length >= Vector128<T>.Count;
}

/// <summary><see cref="IVectorOps{TVector, T}"/> on <see cref="Vector512{T}"/>.</summary>
internal readonly struct Vector512Ops<T> : IVectorOps<Vector512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref readonly T source, nuint elementOffset) => Vector512.LoadUnsafe(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint elementOffset) => value.StoreUnsafe(ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> left, Vector512<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> left, Vector512<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> left, Vector512<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> left, Vector512<T> right, Vector512<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector512.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector512.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max(Vector512<T> left, Vector512<T> right) => Vector512.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Min(Vector512<T> left, Vector512<T> right) => Vector512.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ClampNative(Vector512<T> value, Vector512<T> min, Vector512<T> max) => Vector512.ClampNative(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs(Vector512<T> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Negate(Vector512<T> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> value) =>
        typeof(T) == typeof(float)
            ? Vector512.Exp(value.AsSingle()).As<float, T>()
            : Vector512.Exp(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log(Vector512<T> value) =>
        typeof(T) == typeof(float)
            ? Vector512.Log(value.AsSingle()).As<float, T>()
            : Vector512.Log(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt(Vector512<T> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sin(Vector512<T> value) =>
        typeof(T) == typeof(float)
            ? Vector512.Sin(value.AsSingle()).As<float, T>()
            : Vector512.Sin(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Cos(Vector512<T> value) =>
        typeof(T) == typeof(float)
            ? Vector512.Cos(value.AsSingle()).As<float, T>()
            : Vector512.Cos(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> PowerOfTwo(Vector512<T> integral) =>
        typeof(T) == typeof(float)
            ? Vector512.ShiftLeft(Vector512.ConvertToInt32(integral.AsSingle()) + Vector512.Create(127), 23).As<int, T>()
            : Vector512.ShiftLeft(Vector512.ConvertToInt64(integral.AsDouble()) + Vector512.Create(1023L), 52).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> CompareEqual(Vector512<T> left, Vector512<T> right) => Vector512.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> CompareGreaterThan(Vector512<T> left, Vector512<T> right) => Vector512.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> BitwiseAnd(Vector512<T> left, Vector512<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ConditionalSelect(Vector512<T> mask, Vector512<T> ifTrue, Vector512<T> ifFalse) =>
        Vector512.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LanesFrom(int firstLane) =>
        Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(firstLane)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector256.Sum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SumTo128(Vector512<T> value)
    {
        Vector256<T> half = value.GetLower() + value.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}

/// <summary><see cref="IVectorOps{TVector, T}"/> on <see cref="Vector256{T}"/>.</summary>
internal readonly struct Vector256Ops<T> : IVectorOps<Vector256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref readonly T source, nuint elementOffset) => Vector256.LoadUnsafe(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint elementOffset) => value.StoreUnsafe(ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> left, Vector256<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> left, Vector256<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> left, Vector256<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> left, Vector256<T> right, Vector256<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector256.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector256.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> left, Vector256<T> right) => Vector256.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Min(Vector256<T> left, Vector256<T> right) => Vector256.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ClampNative(Vector256<T> value, Vector256<T> min, Vector256<T> max) => Vector256.ClampNative(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs(Vector256<T> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Negate(Vector256<T> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> value) =>
        typeof(T) == typeof(float)
            ? Vector256.Exp(value.AsSingle()).As<float, T>()
            : Vector256.Exp(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log(Vector256<T> value) =>
        typeof(T) == typeof(float)
            ? Vector256.Log(value.AsSingle()).As<float, T>()
            : Vector256.Log(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt(Vector256<T> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sin(Vector256<T> value) =>
        typeof(T) == typeof(float)
            ? Vector256.Sin(value.AsSingle()).As<float, T>()
            : Vector256.Sin(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Cos(Vector256<T> value) =>
        typeof(T) == typeof(float)
            ? Vector256.Cos(value.AsSingle()).As<float, T>()
            : Vector256.Cos(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> PowerOfTwo(Vector256<T> integral) =>
        typeof(T) == typeof(float)
            ? Vector256.ShiftLeft(Vector256.ConvertToInt32(integral.AsSingle()) + Vector256.Create(127), 23).As<int, T>()
            : Vector256.ShiftLeft(Vector256.ConvertToInt64(integral.AsDouble()) + Vector256.Create(1023L), 52).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> CompareEqual(Vector256<T> left, Vector256<T> right) => Vector256.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> CompareGreaterThan(Vector256<T> left, Vector256<T> right) => Vector256.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> BitwiseAnd(Vector256<T> left, Vector256<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ConditionalSelect(Vector256<T> mask, Vector256<T> ifTrue, Vector256<T> ifFalse) =>
        Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LanesFrom(int firstLane) =>
        Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(firstLane)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector128.Sum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SumTo128(Vector256<T> value) => value.GetLower() + value.GetUpper();
}

/// <summary><see cref="IVectorOps{TVector, T}"/> on <see cref="Vector128{T}"/>.</summary>
internal readonly struct Vector128Ops<T> : IVectorOps<Vector128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref readonly T source, nuint elementOffset) => Vector128.LoadUnsafe(in source, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint elementOffset) => value.StoreUnsafe(ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> left, Vector128<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> left, Vector128<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> left, Vector128<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> left, Vector128<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> left, Vector128<T> right, Vector128<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector128.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector128.MultiplyAddEstimate(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max(Vector128<T> left, Vector128<T> right) => Vector128.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Min(Vector128<T> left, Vector128<T> right) => Vector128.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ClampNative(Vector128<T> value, Vector128<T> min, Vector128<T> max) => Vector128.ClampNative(value, min, max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs(Vector128<T> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Negate(Vector128<T> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> value) =>
        typeof(T) == typeof(float)
            ? Vector128.Exp(value.AsSingle()).As<float, T>()
            : Vector128.Exp(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log(Vector128<T> value) =>
        typeof(T) == typeof(float)
            ? Vector128.Log(value.AsSingle()).As<float, T>()
            : Vector128.Log(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt(Vector128<T> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sin(Vector128<T> value) =>
        typeof(T) == typeof(float)
            ? Vector128.Sin(value.AsSingle()).As<float, T>()
            : Vector128.Sin(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Cos(Vector128<T> value) =>
        typeof(T) == typeof(float)
            ? Vector128.Cos(value.AsSingle()).As<float, T>()
            : Vector128.Cos(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> PowerOfTwo(Vector128<T> integral) =>
        typeof(T) == typeof(float)
            ? Vector128.ShiftLeft(Vector128.ConvertToInt32(integral.AsSingle()) + Vector128.Create(127), 23).As<int, T>()
            : Vector128.ShiftLeft(Vector128.ConvertToInt64(integral.AsDouble()) + Vector128.Create(1023L), 52).As<long, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> CompareEqual(Vector128<T> left, Vector128<T> right) => Vector128.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> CompareGreaterThan(Vector128<T> left, Vector128<T> right) => Vector128.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> BitwiseAnd(Vector128<T> left, Vector128<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ConditionalSelect(Vector128<T> mask, Vector128<T> ifTrue, Vector128<T> ifFalse) =>
        Vector128.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LanesFrom(int firstLane) =>
        Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(firstLane)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SumTo128(Vector128<T> value) => value;
}
