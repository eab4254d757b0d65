using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Models;

/// <summary>
/// A vector expression of the cell-equation language, with its length checked by the parser.
/// <see cref="Text"/> is the source text, used in the comments of the generated code.
/// </summary>
internal abstract record Expr(int Length, string Text);

/// <summary>An input vector x_t.</summary>
internal sealed record InputRef(string Name, int Length, string Text) : Expr(Length, Text);

/// <summary>A recurrent vector read before its assignment in the step: its previous value, s_{t-1}.</summary>
internal sealed record PreviousRef(string Name, int Length, string Text) : Expr(Length, Text);

/// <summary>A value assigned earlier in the same step: a local, or a state or output after its assignment.</summary>
internal sealed record ValueRef(string Name, int Length, string Text) : Expr(Length, Text);

/// <summary>A vector parameter (a bias, a peephole weight).</summary>
internal sealed record ParameterRef(string Name, int Length, string Text) : Expr(Length, Text);

/// <summary>The product of a matrix parameter with a vector, <c>W * v</c>.</summary>
internal sealed record MatVecExpr(string Matrix, int Rows, int Columns, Expr Vector, string Text) : Expr(Rows, Text);

/// <summary>The transposed product <c>W.T * v</c> of a matrix parameter (rows x columns) with a vector of length rows.</summary>
internal sealed record TransposedMatVecExpr(string Matrix, int Rows, int Columns, Expr Vector, string Text) : Expr(Columns, Text);

/// <summary>An element-wise binary operation on two vectors of equal length.</summary>
internal sealed record ElementwiseExpr(ElementwiseOp Op, Expr Left, Expr Right, string Text) : Expr(Left.Length, Text);

internal enum ElementwiseOp
{
    Add,
    Subtract,
    Multiply,

    /// <summary>Element-wise quotient <c>a / b</c>.</summary>
    Divide,

    /// <summary>Element-wise <c>max(a, b)</c>.</summary>
    Maximum,

    /// <summary>Element-wise <c>min(a, b)</c>.</summary>
    Minimum,
}

/// <summary>A length-1 value (a scalar) read as a vector of <paramref name="Length"/> equal elements, beside a longer operand.</summary>
internal sealed record BroadcastExpr(Expr Scalar, int Length, string Text) : Expr(Length, Text);

/// <summary><c>Scale * Operand + Offset</c> with compile-time constants: <c>1 - z</c>, <c>-v</c>, <c>0.5 * v</c>.</summary>
internal sealed record AffineExpr(Expr Operand, double Scale, double Offset, string Text) : Expr(Operand.Length, Text);

/// <summary>An element-wise function of the language (an entry of <see cref="PrimitiveTable"/>) applied to a vector.</summary>
internal sealed record CallExpr(Primitive Primitive, Expr Argument, string Text) : Expr(Argument.Length, Text);

/// <summary><c>concat(a, b, ...)</c>: the parts one after the other, a vector of the sum of their lengths.</summary>
internal sealed record ConcatExpr(UnrolledRnn.Generator.Helpers.EquatableArray<Expr> Parts, int Length, string Text) : Expr(Length, Text);

/// <summary><c>layernorm(v, gain, bias, eps)</c>: v normalised to mean 0 and variance 1, times the gain plus the bias (vector parameters).</summary>
internal sealed record LayerNormExpr(Expr Operand, string Gain, string Bias, double Epsilon, string Text) : Expr(Operand.Length, Text);

/// <summary>The elements [Start, Start + Length) of a vector.</summary>
internal sealed record SliceExpr(Expr Source, int Start, int Length, string Text) : Expr(Length, Text);
