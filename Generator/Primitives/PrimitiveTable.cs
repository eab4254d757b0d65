using System.Collections.Generic;
using System.Linq;

namespace UnrolledRnn.Generator.Primitives;

/// <summary>
/// The element-wise functions of the cell language. Adding one is an entry here plus its runtime kernels (and its
/// symbolic method in the runtime's <c>CellMath</c>, which users call): the parser, the step graph, both emitters,
/// the differentiation pass, the ONNX description and the diagnostics read this table (docs/design.md, "Adding a primitive").
/// </summary>
/// <remarks>
/// Forward kernels read x and write y (possibly in place); every derivative is a function of the recorded output y,
/// so the backward pass needs no pre-activation stored.
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

    /// <summary>Every primitive, in the order messages and docs list them.</summary>
    public static IReadOnlyList<Primitive> All { get; } = new[] { Tanh, Sigmoid, Relu, Identity, Exp, Softplus, Sqrt, Log, Elu };

    /// <summary>The primitive the equations call <paramref name="name"/>, or null.</summary>
    public static Primitive? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>The names as a message lists them: "tanh, sigmoid, ... or softplus".</summary>
    public static string NameList { get; } =
        string.Join(", ", All.Take(All.Count - 1).Select(p => p.Name)) + " or " + All[All.Count - 1].Name;
}
