namespace UnrolledRnn;

/// <summary>
/// A matrix parameter in cell equations. Symbolic: only the matrix-vector product <c>W * v</c> is defined.
/// </summary>
public readonly struct Mat
{
    /// <summary>The matrix-vector product.</summary>
    public static Vec operator *(Mat w, Vec v) => throw Symbolic.NotEvaluated();
}
