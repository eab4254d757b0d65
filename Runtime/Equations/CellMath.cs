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

    /// <summary>Log-sigmoid, log(1 / (1 + e^-v)) = -softplus(-v), computed without overflow.</summary>
    public static Vec logsigmoid(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Absolute value |v|; its derivative at 0 is 0, as PyTorch's.</summary>
    public static Vec abs(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise square v².</summary>
    public static Vec square(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Sine (radians).</summary>
    public static Vec sin(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>Cosine (radians).</summary>
    public static Vec cos(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>SiLU (swish), v sigmoid(v).</summary>
    public static Vec silu(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>GELU in its tanh form (PyTorch's approximate='tanh'): v (1 + tanh(√(2/π) (v + 0.044715 v³))) / 2.</summary>
    public static Vec gelu(Vec v) => throw Symbolic.NotEvaluated();

    /// <summary>
    /// The parts one after the other, a vector of the sum of their lengths: <c>W * concat(x, h)</c> multiplies one merged
    /// weight [W_x W_h]. Not an element-wise function: two or more parts.
    /// </summary>
    public static Vec concat(params Vec[] parts) => throw Symbolic.NotEvaluated();

    /// <summary>
    /// Layer normalisation: (v - mean(v)) / √(var(v) + eps) ⊙ gain + bias, the biased variance (as PyTorch's layer_norm);
    /// gain and bias are vector parameters of v's length, eps a positive constant. Not an element-wise function.
    /// </summary>
    public static Vec layernorm(Vec v, Vec gain, Vec bias, double eps) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise maximum of two vectors of equal length, or of a scalar (length 1) and a vector; at a tie each operand's gradient is half (as PyTorch).</summary>
    public static Vec max(Vec a, Vec b) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise minimum of two vectors of equal length, or of a scalar (length 1) and a vector; at a tie each operand's gradient is half (as PyTorch).</summary>
    public static Vec min(Vec a, Vec b) => throw Symbolic.NotEvaluated();
}
#pragma warning restore IDE1006
