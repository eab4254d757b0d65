using System;
using System.Collections.Generic;

namespace UnrolledRnn.Onnx;

/// <summary>
/// A constant tensor in a step graph, the value of a <c>Constant</c> node: either int64 values (the starts and
/// ends of a <c>Slice</c>) or real values written in the cell's own element type, float or double (the 1 of
/// <c>1 - z</c>), so that one description serves both precisions.
/// </summary>
public sealed record OnnxConstant
{
    private OnnxConstant(IReadOnlyList<long> dimensions, IReadOnlyList<long>? integers, IReadOnlyList<double>? reals)
    {
        Dimensions = dimensions;
        Integers = integers;
        Reals = reals;
    }

    /// <summary>The tensor's shape; empty for a scalar.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>The elements of an int64 tensor, row-major; null for a real tensor.</summary>
    public IReadOnlyList<long>? Integers { get; }

    /// <summary>The elements of a real tensor (written as float or double, like the cell), row-major; null for an int64 tensor.</summary>
    public IReadOnlyList<double>? Reals { get; }

    /// <summary>A vector of int64 values, e.g. the starts of a <c>Slice</c>.</summary>
    public static OnnxConstant Int64Vector(params long[] values) =>
        new(new long[] { values.Length }, (long[])values.Clone(), null);

    /// <summary>A real scalar in the cell's element type, broadcast by <c>Add</c>, <c>Sub</c> and <c>Mul</c>.</summary>
    public static OnnxConstant RealScalar(double value) => new(Array.Empty<long>(), null, new[] { value });

    /// <inheritdoc/>
    public bool Equals(OnnxConstant? other) =>
        other is not null && Sequences.Equal(Dimensions, other.Dimensions)
        && Sequences.Equal(Integers, other.Integers) && Sequences.Equal(Reals, other.Reals);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Sequences.Hash(Dimensions), Sequences.Hash(Integers), Sequences.Hash(Reals));
}
