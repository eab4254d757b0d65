namespace UnrolledRnn;

/// <summary>
/// The element-wise functions of the cell-equation language. Bring them into scope with
/// <c>using static UnrolledRnn.CellMath;</c>. Symbolic, like <see cref="Vec"/>: never evaluated.
/// </summary>
#pragma warning disable IDE1006 // lower-case names, so that equations read like the papers
public static class CellMath
{
    /// <summary>Hyperbolic tangent.</summary>
    public static Vec tanh(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Logistic sigmoid, 1 / (1 + e^-v).</summary>
    public static Vec sigmoid(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Rectified linear unit, max(v, 0).</summary>
    public static Vec relu(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>The identity: v itself.</summary>
    public static Vec identity(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise exponential.</summary>
    public static Vec exp(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Softplus, log(1 + e^v), computed without overflow.</summary>
    public static Vec softplus(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Square root; NaN for a negative element (IEEE), which the trainer's non-finite guard reports.</summary>
    public static Vec sqrt(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Natural logarithm; -∞ at zero and NaN below (IEEE), which the trainer's non-finite guard reports.</summary>
    public static Vec log(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Exponential linear unit (alpha = 1): v where v &gt; 0, else e^v - 1.</summary>
    public static Vec elu(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise maximum of two vectors of equal length, or of a scalar (length 1) and a vector; at a tie each operand's gradient is half (as PyTorch).</summary>
    public static Vec max(Vec a, Vec b) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise minimum of two vectors of equal length, or of a scalar (length 1) and a vector; at a tie each operand's gradient is half (as PyTorch).</summary>
    public static Vec min(Vec a, Vec b) => throw Symbolic.NotEvaluated();
}
#pragma warning restore IDE1006
