using System;

namespace UnrolledRnn;

/// <summary>
/// A vector in cell equations. Symbolic: the generator reads the expressions written with it at compile
/// time; they are never evaluated, and every operator throws if called.
/// </summary>
public readonly struct Vec
{
    /// <summary>Element-wise sum.</summary>
    public static Vec operator +(Vec a, Vec b) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise difference.</summary>
    public static Vec operator -(Vec a, Vec b) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise (Hadamard) product.</summary>
    public static Vec operator *(Vec a, Vec b) => throw Symbolic.NotEvaluated();

    /// <summary>Element-wise quotient; an element divided by zero is infinite or NaN (IEEE), which the trainer's non-finite guard reports.</summary>
    public static Vec operator /(Vec a, Vec b) => throw Symbolic.NotEvaluated();

    /// <summary>Unary plus: the vector itself.</summary>
    public static Vec operator +(Vec a) => throw Symbolic.NotEvaluated();

    /// <summary>Negation.</summary>
    public static Vec operator -(Vec a) => throw Symbolic.NotEvaluated();

    /// <summary>Adds a constant to every element.</summary>
    public static Vec operator +(Vec a, double c) => throw Symbolic.NotEvaluated();

    /// <summary>Adds a constant to every element.</summary>
    public static Vec operator +(double c, Vec a) => throw Symbolic.NotEvaluated();

    /// <summary>Subtracts a constant from every element.</summary>
    public static Vec operator -(Vec a, double c) => throw Symbolic.NotEvaluated();

    /// <summary>A constant minus every element, as in <c>1 - z</c>.</summary>
    public static Vec operator -(double c, Vec a) => throw Symbolic.NotEvaluated();

    /// <summary>Scales every element by a constant.</summary>
    public static Vec operator *(Vec a, double c) => throw Symbolic.NotEvaluated();

    /// <summary>Scales every element by a constant.</summary>
    public static Vec operator *(double c, Vec a) => throw Symbolic.NotEvaluated();

    /// <summary>Divides every element by a non-zero constant: the scale 1 / c.</summary>
    public static Vec operator /(Vec a, double c) => throw Symbolic.NotEvaluated();

    /// <summary>A contiguous slice with compile-time bounds, as in <c>gates[H..(2 * H)]</c>.</summary>
    public Vec this[Range range] => throw Symbolic.NotEvaluated();
}
