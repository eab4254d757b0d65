using System.Collections.Generic;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// A cell's one-step ONNX graph as the generator builds it from the <see cref="Graph.CellGraph"/>, before it is
/// written out as the runtime's <c>OnnxStepGraph</c> (<see cref="OnnxGraphEmitter"/>). Every value is a row [1, n].
/// </summary>
/// <param name="Inputs">The cell's inputs, in declaration order.</param>
/// <param name="States">The carried vectors, in the order of the cell's State.</param>
/// <param name="Outputs">The cell's outputs, in declaration order.</param>
/// <param name="Parameters">The cell's parameter names, in the order of ParameterTensors.</param>
/// <param name="Nodes">The ONNX nodes, in the order of the equations.</param>
/// <param name="Refusal">What ONNX cannot express in this cell, as a message naming it; null when the graph is complete.</param>
internal sealed record OnnxStep(
    IReadOnlyList<OnnxStepValue> Inputs,
    IReadOnlyList<OnnxStepState> States,
    IReadOnlyList<OnnxStepValue> Outputs,
    IReadOnlyList<string> Parameters,
    IReadOnlyList<OnnxStepNode> Nodes,
    string? Refusal);

/// <summary>An input or output vector of the step: its name in the graph and its length.</summary>
internal sealed record OnnxStepValue(string Name, int Size);

/// <summary>A carried vector: read as <paramref name="Previous"/> (s_{t-1}), produced as <paramref name="Next"/> (s_t).</summary>
internal sealed record OnnxStepState(string Previous, string Next, int Size);

/// <summary>
/// One ONNX node producing the values <paramref name="Outputs"/>; the first also names the node. A <c>Constant</c> node
/// has no inputs and holds <paramref name="Constant"/>.
/// </summary>
/// <param name="Attributes">Integer attributes (Gemm's transB, Split's axis), and LayerNormalization's epsilon.</param>
/// <param name="DocString">What the node computes, in the text of the equations: the node's doc string in the model.</param>
/// <param name="Equation">The statement of the equations this node computes part of, for the generated comment; null for the nodes of a state's copy.</param>
internal sealed record OnnxStepNode(IReadOnlyList<string> Outputs, string OpType, IReadOnlyList<string> Inputs,
    IReadOnlyList<OnnxStepAttribute> Attributes, OnnxStepConstant? Constant, string DocString, string? Equation)
{
    /// <summary>The node's name: its first output.</summary>
    public string Name => Outputs[0];
}

/// <summary>An integer attribute of a node, or a float one when <paramref name="Real"/> is given (LayerNormalization's epsilon).</summary>
internal sealed record OnnxStepAttribute(string Name, long Value, double? Real = null);

/// <summary>The value of a <c>Constant</c> node: an int64 vector (slice bounds, split sizes), or a real scalar in the cell's element type.</summary>
internal sealed record OnnxStepConstant(IReadOnlyList<long>? Integers, double? Real);
