using System;
using System.Collections.Generic;

namespace UnrolledRnn.Onnx;

/// <summary>
/// One ONNX node of a cell's step graph, in the default (ai.onnx) domain at <see cref="OnnxStepGraph.Opset"/>.
/// An input names a step input, a previous state, a cell parameter (by its name in the cell, e.g. "W_ih": the
/// exporter renames it to its checkpoint name) or an output of an earlier node.
/// </summary>
/// <param name="Name">The node's name, unique in the graph: ONNX Runtime's errors and the tests' mismatch reports name it.</param>
/// <param name="OpType">The ONNX operator, e.g. "Gemm", "Add", "Sigmoid", "Split", "Constant".</param>
/// <param name="Inputs">The names of its inputs, in the operator's order.</param>
/// <param name="Outputs">The names of the values it produces.</param>
/// <param name="Attributes">Its attributes; empty for most operators.</param>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes)
{
    /// <summary>What the node computes, in the text of the equations (e.g. "W_ih * x + b_ih"): the node's doc string in the model.</summary>
    public string DocString { get; init; } = "";

    /// <summary>A node without attributes and with one output.</summary>
    public OnnxNode(string name, string opType, string output, params string[] inputs)
        : this(name, opType, inputs, new[] { output }, Array.Empty<OnnxAttribute>())
    {
    }

    /// <summary>A <c>Constant</c> node producing <paramref name="value"/> under <paramref name="output"/>.</summary>
    public static OnnxNode Constant(string output, OnnxConstant value) =>
        new(output, "Constant", Array.Empty<string>(), new[] { output }, new[] { OnnxAttribute.TensorValue("value", value) });

    /// <inheritdoc/>
    public bool Equals(OnnxNode? other) =>
        other is not null && Name == other.Name && OpType == other.OpType && Sequences.Equal(Inputs, other.Inputs)
        && Sequences.Equal(Outputs, other.Outputs) && Sequences.Equal(Attributes, other.Attributes) && DocString == other.DocString;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Name, OpType, Sequences.Hash(Inputs), Sequences.Hash(Outputs), Sequences.Hash(Attributes), DocString);
}
