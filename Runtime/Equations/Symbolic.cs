using System;

namespace UnrolledRnn;

/// <summary>The one exception thrown by the symbolic equation types when something tries to evaluate them.</summary>
internal static class Symbolic
{
    public static InvalidOperationException NotEvaluated() => new(
        "Cell equations are symbolic: the UnrolledRnn generator reads them at compile time. " +
        "Call the generated Forward, Backward or Step methods instead.");
}
