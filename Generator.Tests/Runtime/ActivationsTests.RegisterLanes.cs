using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// Register forms against span results: every lane of a register computed at offset i equals the span's element
// i + lane, to the bit (NaN equal to NaN).
public sealed partial class ActivationsTests
{
    private static void AssertLanes<T>(T[] expected, int offset, Vector512<T> lanes)
        where T : unmanaged, IFloatingPointIeee754<T> => AssertLanes(expected, offset, lanes.ToLaneArray());

    private static void AssertLanes<T>(T[] expected, int offset, Vector256<T> lanes)
        where T : unmanaged, IFloatingPointIeee754<T> => AssertLanes(expected, offset, lanes.ToLaneArray());

    private static void AssertLanes<T>(T[] expected, int offset, Vector128<T> lanes)
        where T : unmanaged, IFloatingPointIeee754<T> => AssertLanes(expected, offset, lanes.ToLaneArray());

    private static void AssertLanes<T>(T[] expected, int offset, T[] lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int lane = 0; lane < lanes.Length; lane++)
        {
            Assert.True(expected[offset + lane].Equals(lanes[lane]),
                $"{typeof(T).Name} register of {lanes.Length} lanes at {offset}, lane {lane}: expected {expected[offset + lane]}, got {lanes[lane]}");
        }
    }
}

// A forward function through its span kernel and every register width (fused loops) against a double reference.
public sealed partial class ActivationsTests
{
    private delegate void Forward<T>(ReadOnlySpan<T> x, Span<T> destination);

    private static void CheckForward<T>(double[] values, Func<double, double> reference, Forward<T> span,
        Func<Vector512<T>, Vector512<T>> f512, Func<Vector256<T>, Vector256<T>> f256, Func<Vector128<T>, Vector128<T>> f128,
        Func<T, T> scalar, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Array.ConvertAll(values, v => T.CreateTruncating(v));
        T[] result = new T[x.Length];
        span(x, result);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = reference(double.CreateChecked(x[i]));
            AssertClose(expected, result[i], tolerance, $"{typeof(T).Name} span kernel at {x[i]}");
            AssertClose(expected, scalar(x[i]), tolerance, $"{typeof(T).Name} scalar register form at {x[i]}");
        }

        foreach (int count in new[] { Vector128<T>.Count, Vector256<T>.Count, Vector512<T>.Count })
        {
            for (int i = 0; i + count <= x.Length; i += count)
            {
                T[] lanes = count == Vector128<T>.Count ? f128(Registers.Load128<T>(x, i)).ToLaneArray()
                    : count == Vector256<T>.Count ? f256(Registers.Load256<T>(x, i)).ToLaneArray()
                    : f512(Registers.Load512<T>(x, i)).ToLaneArray();
                for (int lane = 0; lane < count; lane++)
                {
                    AssertClose(reference(double.CreateChecked(x[i + lane])), lanes[lane], tolerance, $"{typeof(T).Name} {count}-lane register at {x[i + lane]}");
                }
            }
        }
    }
}

internal static class RegisterLanes
{
    public static T[] ToLaneArray<T>(this Vector512<T> value)
    {
        var lanes = new T[Vector512<T>.Count];
        value.CopyTo(lanes);
        return lanes;
    }

    public static T[] ToLaneArray<T>(this Vector256<T> value)
    {
        var lanes = new T[Vector256<T>.Count];
        value.CopyTo(lanes);
        return lanes;
    }

    public static T[] ToLaneArray<T>(this Vector128<T> value)
    {
        var lanes = new T[Vector128<T>.Count];
        value.CopyTo(lanes);
        return lanes;
    }
}
