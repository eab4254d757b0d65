namespace UnrolledRnn;

/// <summary>
/// The transpose of a matrix parameter, <c>W.T</c>, in cell equations. Symbolic: only the product <c>W.T * v</c>
/// is defined, computed from W as it is stored (no transposed copy).
/// </summary>
public readonly struct TransposedMat
{
    /// <summary>The transposed product Wᵀ v: W is rows x columns, v has length rows, the result length columns.</summary>
    public static Vec operator *(TransposedMat w, Vec v) => throw Symbolic.NotEvaluated();
}
