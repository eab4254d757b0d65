using System;
using System.Numerics;
using System.Runtime.Intrinsics;
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
