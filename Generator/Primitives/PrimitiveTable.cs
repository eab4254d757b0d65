using System.Collections.Generic;
using System.Linq;

namespace UnrolledRnn.Generator.Primitives;

/// <summary>
/// The element-wise functions of the cell language. Adding one is an entry here plus its runtime kernels (and its
/// symbolic method in the runtime's <c>CellMath</c>, which users call): the parser, the step graph, both emitters,
/// the differentiation pass, the ONNX description and the diagnostics read this table (docs/design.md, "Adding a primitive").
/// </summary>
/// <remarks>
/// Forward kernels read x and write y (possibly in place). A derivative is a function of the recorded output y where
/// y determines it, so the backward pass needs no pre-activation stored; the others (abs, square, sin, cos, silu, gelu)
/// read the argument x (<c>{x}</c> in their templates), which is then stored.
/// </remarks>
internal static class PrimitiveTable
{
    /// <summary>
    /// The accurate tanh and sigmoid have no register form: one taking e^x in double, inlined, as accurate as
    /// TensorPrimitives' kernels, measured slower than the kernel calls even at H = 32 (LSTM step 0.36 vs 0.29 us,
    /// docs/performance.md), so they stay kernel calls at every length and the statements around them are fused.
    /// </summary>
    public static readonly Primitive Tanh = new("tanh", 1,
        forward: "TensorPrimitives.Tanh<{T}>({x}, {y})",
        fastForward: "Activations.FastTanh<{T}>({x}, {y})",
        new Derivative("(1 - {y}^2)",
            Assign: "Activations.TanhBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.TanhBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.TanhBackward({y}, {dy})"),
        fastRegister: "Registers.FastTanh({x})",
        onnx: "Tanh");

    public static readonly Primitive Sigmoid = new("sigmoid", 1,
        forward: "TensorPrimitives.Sigmoid<{T}>({x}, {y})",
        fastForward: "Activations.FastSigmoid<{T}>({x}, {y})",
        new Derivative("{y} (1 - {y})",
            Assign: "Activations.SigmoidBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.SigmoidBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.SigmoidBackward({y}, {dy})"),
        fastRegister: "Registers.FastSigmoid({x})",
        onnx: "Sigmoid");

    public static readonly Primitive Relu = new("relu", 1,
        forward: "Activations.Relu<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("({y} > 0)",
            Assign: "Activations.ReluBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.ReluBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.ReluBackward({y}, {dy})"),
        register: "Registers.Relu({x})",
        onnx: "Relu");

    public static readonly Primitive Identity = new("identity", 1, forward: null, fastForward: null, derivative: null,
        onnx: "Identity");

    /// <summary>exp' = exp: the derivative is a product with the output, for which TensorPrimitives has both forms.</summary>
    public static readonly Primitive Exp = new("exp", 1,
        forward: "TensorPrimitives.Exp<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("{y}",
            Assign: "TensorPrimitives.Multiply<{T}>({dy}, {y}, {dx})",
            Accumulate: "TensorPrimitives.MultiplyAdd<{T}>({dy}, {y}, {dx}, {dx})",
            Register: "{dy} * {y}"),
        register: "Registers.Exp({x})",
        onnx: "Exp");

    /// <summary>softplus' = sigmoid, which is 1 - exp(-y) in terms of the output y = softplus(x).</summary>
    public static readonly Primitive Softplus = new("softplus", 1,
        forward: "Activations.Softplus<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("(1 - exp(-{y}))",
            Assign: "Activations.SoftplusBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.SoftplusBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.SoftplusBackward({y}, {dy})"),
        register: "Registers.Softplus({x})",
        onnx: "Softplus");

    /// <summary>sqrt' = 1 / (2 √x) = 1 / (2 y): +∞ at y = 0 (times dy, as PyTorch); NaN below zero, as IEEE.</summary>
    public static readonly Primitive Sqrt = new("sqrt", 1,
        forward: "TensorPrimitives.Sqrt<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("1 / (2 {y})",
            Assign: "Activations.SqrtBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.SqrtBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.SqrtBackward({y}, {dy})"),
        register: "Registers.Sqrt({x})",
        onnx: "Sqrt");

    /// <summary>log' = 1 / x = e^-y: +∞ at y = -∞ (x = 0); log(0) = -∞ and NaN below zero, as IEEE.</summary>
    public static readonly Primitive Log = new("log", 1,
        forward: "TensorPrimitives.Log<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("exp(-{y})",
            Assign: "Activations.LogBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.LogBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.LogBackward({y}, {dy})"),
        register: "Registers.Log({x})",
        onnx: "Log");

    /// <summary>elu (alpha = 1): elu' = 1 for y &gt; 0, else eˣ = y + 1; 1 at x = 0, as PyTorch.</summary>
    public static readonly Primitive Elu = new("elu", 1,
        forward: "Activations.Elu<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("({y} > 0 ? 1 : {y} + 1)",
            Assign: "Activations.EluBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.EluBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.EluBackward({y}, {dy})"),
        register: "Registers.Elu({x})",
        onnx: "Elu");

    /// <summary>logsigmoid = -softplus(-x); logsigmoid' = 1 - sigmoid(x) = 1 - e^y, taken as -expm1(y) (accurate near y = 0).</summary>
    public static readonly Primitive LogSigmoid = new("logsigmoid", 1,
        forward: "Activations.LogSigmoid<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("(1 - exp({y}))",
            Assign: "Activations.LogSigmoidBackward<{T}>({y}, {dy}, {dx})",
            Accumulate: "Activations.LogSigmoidBackwardAdd<{T}>({y}, {dy}, {dx})",
            Register: "Registers.LogSigmoidBackward({y}, {dy})"),
        register: "Registers.LogSigmoid({x})",
        onnx: null);

    /// <summary>|x|' = sign(x), which y = |x| cannot give: it reads the argument; 0 at x = 0, as PyTorch.</summary>
    public static readonly Primitive Abs = new("abs", 1,
        forward: "TensorPrimitives.Abs<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("sign({x})",
            Assign: "Activations.AbsBackward<{T}>({x}, {dy}, {dx})",
            Accumulate: "Activations.AbsBackwardAdd<{T}>({x}, {dy}, {dx})",
            Register: "Registers.AbsBackward({x}, {dy})"),
        register: "Registers.Abs({x})",
        onnx: "Abs");

    /// <summary>(x²)' = 2x, of the argument (y = x² loses its sign).</summary>
    public static readonly Primitive Square = new("square", 1,
        forward: "TensorPrimitives.Multiply<{T}>({x}, {x}, {y})",
        fastForward: null,
        new Derivative("2 {x}",
            Assign: "Activations.SquareBackward<{T}>({x}, {dy}, {dx})",
            Accumulate: "Activations.SquareBackwardAdd<{T}>({x}, {dy}, {dx})",
            Register: "Registers.SquareBackward({x}, {dy})"),
        register: "Registers.Square({x})",
        onnx: null);

    /// <summary>sin' = cos x, of the argument.</summary>
    public static readonly Primitive Sin = new("sin", 1,
        forward: "TensorPrimitives.Sin<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("cos({x})",
            Assign: "Activations.SinBackward<{T}>({x}, {dy}, {dx})",
            Accumulate: "Activations.SinBackwardAdd<{T}>({x}, {dy}, {dx})",
            Register: "Registers.SinBackward({x}, {dy})"),
        register: "Registers.Sin({x})",
        onnx: "Sin");

    /// <summary>cos' = -sin x, of the argument.</summary>
    public static readonly Primitive Cos = new("cos", 1,
        forward: "TensorPrimitives.Cos<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("-sin({x})",
            Assign: "Activations.CosBackward<{T}>({x}, {dy}, {dx})",
            Accumulate: "Activations.CosBackwardAdd<{T}>({x}, {dy}, {dx})",
            Register: "Registers.CosBackward({x}, {dy})"),
        register: "Registers.Cos({x})",
        onnx: "Cos");

    /// <summary>silu = x sigmoid(x); silu' = s (1 + x (1 - s)), s = sigmoid(x), of the argument (as PyTorch computes it).</summary>
    public static readonly Primitive Silu = new("silu", 1,
        forward: "Activations.Silu<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("s (1 + {x} (1 - s)), s = sigmoid({x})",
            Assign: "Activations.SiluBackward<{T}>({x}, {dy}, {dx})",
            Accumulate: "Activations.SiluBackwardAdd<{T}>({x}, {dy}, {dx})",
            Register: "Registers.SiluBackward({x}, {dy})"),
        register: "Registers.Silu({x})",
        onnx: null);

    /// <summary>
    /// gelu, tanh form (PyTorch's approximate='tanh'): x (1 + tanh u) / 2 = x sigmoid(2u), u = √(2/π) (x + 0.044715 x³);
    /// gelu' = s + 2 x u' s (1 - s), s = sigmoid(2u), of the argument.
    /// </summary>
    public static readonly Primitive Gelu = new("gelu", 1,
        forward: "Activations.Gelu<{T}>({x}, {y})",
        fastForward: null,
        new Derivative("s + 2 {x} u' s (1 - s), s = sigmoid(2u), u = sqrt(2/pi) ({x} + 0.044715 {x}^3)",
            Assign: "Activations.GeluBackward<{T}>({x}, {dy}, {dx})",
            Accumulate: "Activations.GeluBackwardAdd<{T}>({x}, {dy}, {dx})",
            Register: "Registers.GeluBackward({x}, {dy})"),
        register: "Registers.Gelu({x})",
        onnx: null);

    /// <summary>Every primitive, in the order messages and docs list them.</summary>
    public static IReadOnlyList<Primitive> All { get; } = new[] { Tanh, Sigmoid, Relu, Identity, Exp, Softplus, Sqrt, Log, Elu, LogSigmoid, Abs, Square, Sin, Cos, Silu, Gelu };

    /// <summary>The primitive the equations call <paramref name="name"/>, or null.</summary>
    public static Primitive? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>The names as a message lists them: "tanh, sigmoid, ... or softplus".</summary>
    public static string NameList { get; } =
        string.Join(", ", All.Take(All.Count - 1).Select(p => p.Name)) + " or " + All[All.Count - 1].Name;
}
