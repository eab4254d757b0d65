using System;
using System.Collections.Generic;
using System.Linq;

namespace UnrolledRnn.Onnx;

/// <summary>
/// The ONNX operators a step graph may use, with the number of inputs and attributes each takes at
/// <see cref="OnnxStepGraph.Opset"/>: the exporter refuses anything else by name, rather than write a model that
/// no runtime loads.
/// </summary>
internal static class OnnxOperators
{
    private sealed record Signature(int MinInputs, int MaxInputs, string[] RequiredAttributes, bool ManyOutputs = false);

    private static readonly Dictionary<string, Signature> s_signatures = new(StringComparer.Ordinal)
    {
        ["MatMul"] = new(2, 2, Array.Empty<string>()),
        ["Gemm"] = new(2, 3, Array.Empty<string>()),
        ["Add"] = new(2, 2, Array.Empty<string>()),
        ["Sub"] = new(2, 2, Array.Empty<string>()),
        ["Mul"] = new(2, 2, Array.Empty<string>()),
        ["Div"] = new(2, 2, Array.Empty<string>()),
        ["Max"] = new(1, int.MaxValue, Array.Empty<string>()),
        ["Min"] = new(1, int.MaxValue, Array.Empty<string>()),
        ["Neg"] = new(1, 1, Array.Empty<string>()),
        ["Tanh"] = new(1, 1, Array.Empty<string>()),
        ["Sigmoid"] = new(1, 1, Array.Empty<string>()),
        ["Relu"] = new(1, 1, Array.Empty<string>()),
        ["Exp"] = new(1, 1, Array.Empty<string>()),
        ["Softplus"] = new(1, 1, Array.Empty<string>()),
        ["Sqrt"] = new(1, 1, Array.Empty<string>()),
        ["Log"] = new(1, 1, Array.Empty<string>()),
        ["Elu"] = new(1, 1, Array.Empty<string>()),
        ["Abs"] = new(1, 1, Array.Empty<string>()),
        ["Sin"] = new(1, 1, Array.Empty<string>()),
        ["Cos"] = new(1, 1, Array.Empty<string>()),
        ["Identity"] = new(1, 1, Array.Empty<string>()),
        ["Slice"] = new(3, 5, Array.Empty<string>()),
        ["Split"] = new(1, 2, new[] { "axis" }, ManyOutputs: true),
        ["Concat"] = new(1, int.MaxValue, new[] { "axis" }),
        ["LayerNormalization"] = new(2, 3, new[] { "epsilon" }),
        ["Constant"] = new(0, 0, new[] { "value" }),
    };

    /// <summary>The operators, for messages.</summary>
    public static string Supported => string.Join(", ", s_signatures.Keys);

    /// <summary>Throws, naming the node, if <paramref name="node"/> is not one of these operators with a fitting number of inputs and its required attributes.</summary>
    public static void Require(OnnxNode node)
    {
        if (!s_signatures.TryGetValue(node.OpType, out var signature))
        {
            throw new NotSupportedException(
                $"Node '{node.Name}': the operator '{node.OpType}' is not one the ONNX exporter writes at opset {OnnxStepGraph.Opset} " +
                $"(it writes {Supported}), so this step cannot be exported.");
        }

        if (node.Inputs.Count < signature.MinInputs || node.Inputs.Count > signature.MaxInputs)
        {
            string expected = signature.MinInputs == signature.MaxInputs ? $"{signature.MinInputs}"
                : signature.MaxInputs == int.MaxValue ? $"at least {signature.MinInputs}" : $"{signature.MinInputs} to {signature.MaxInputs}";
            throw new ArgumentException($"Node '{node.Name}' ({node.OpType}) has {node.Inputs.Count} inputs; {node.OpType} takes {expected}.");
        }

        if (signature.ManyOutputs ? node.Outputs.Count == 0 : node.Outputs.Count != 1)
        {
            throw new ArgumentException($"Node '{node.Name}' ({node.OpType}) has {node.Outputs.Count} outputs; {node.OpType} produces {(signature.ManyOutputs ? "at least 1" : "1")}.");
        }

        foreach (string attribute in signature.RequiredAttributes.Where(a => node.Attributes.All(given => given.Name != a)))
        {
            throw new ArgumentException($"Node '{node.Name}' ({node.OpType}) has no attribute '{attribute}', which {node.OpType} requires.");
        }
    }
}
