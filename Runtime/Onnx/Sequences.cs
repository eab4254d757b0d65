using System;
using System.Collections.Generic;
using System.Linq;

namespace UnrolledRnn.Onnx;

/// <summary>Element-wise equality and hashing of lists, for the records of a step-graph description.</summary>
internal static class Sequences
{
    public static bool Equal<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b));

    public static int Hash<T>(IReadOnlyList<T>? items)
    {
        if (items is null)
        {
            return 0;
        }

        var hash = new HashCode();
        foreach (var item in items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}
