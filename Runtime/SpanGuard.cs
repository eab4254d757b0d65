using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace UnrolledRnn;

/// <summary>Argument checks used by generated cells. One comparison on the good path.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SpanGuard
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the expected length when <paramref name="actual"/> differs.</summary>
    /// <param name="actual">The length received.</param>
    /// <param name="expected">The length required.</param>
    /// <param name="parameterName">The argument's name.</param>
    /// <param name="meaning">How the expected length is made up, e.g. "TruncationLength x InputSize".</param>
    public static void RequireLength(int actual, int expected, string parameterName, string meaning)
    {
        if (actual != expected)
        {
            Throw(actual, expected, parameterName, meaning);
        }
    }

    [DoesNotReturn]
    private static void Throw(int actual, int expected, string parameterName, string meaning) =>
        throw new ArgumentException(
            $"Expected {parameterName} to hold {expected} elements ({meaning}), but it holds {actual}.", parameterName);
}
