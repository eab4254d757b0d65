namespace UnrolledRnn;

/// <summary>
/// A matrix parameter in cell equations. Symbolic: only the matrix-vector products <c>W * v</c> and
/// <c>W.T * v</c> are defined.
/// </summary>
public readonly struct Mat
{
    /// <summary>The transpose, for the product <c>W.T * v</c>: (rows x columns)ᵀ times a vector of length rows.</summary>
    public TransposedMat T => throw Symbolic.NotEvaluated();

    /// <summary>The matrix-vector product.</summary>
    public static Vec operator *(Mat w, Vec v) => throw Symbolic.NotEvaluated();
}
