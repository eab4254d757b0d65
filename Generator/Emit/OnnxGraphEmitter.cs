using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the cell's <c>IOnnxExportable.OnnxStepGraph</c>: the description of one step as ONNX nodes that the
/// runtime's <c>ExportOnnx</c> turns into the step and sequence models (docs/deploy.md). The graph is
/// <see cref="OnnxStepBuilder"/>'s, written as data, one line per node under the equation it computes.
/// </summary>
internal static class OnnxGraphEmitter
{
    private const string Onnx = "global::UnrolledRnn.Onnx.";

    public static void Emit(SourceWriter w, CellGraph graph)
    {
        var model = graph.Model;
        w.Line("/// <summary>");
        w.Line("/// One step of this cell as ONNX nodes (opset 17), generated from the equations: what <c>ExportOnnx</c> writes as the");
        w.Line("/// step model and as the body of the sequence model's <c>Scan</c> (docs/deploy.md). Every value is a row [1, n].");
        w.Line("/// Parameters are read under their names here; the export renames them to their checkpoint names.");
        w.Line("/// </summary>");
        if (model.FastActivations)
        {
            w.Line("/// <remarks>FastActivations: the graph computes the exact tanh and sigmoid (ONNX's Tanh and Sigmoid), where Step");
            w.Line("/// computes their rational approximations (within 2.6e-7 and 1.5e-7), so an exported model differs from Step by that much.</remarks>");
        }

        if (!model.EquationsValid)
        {
            w.Line($"public {Onnx}OnnxStepGraph {GeneratedNames.OnnxStepGraph} => {DriversEmitter.NotGenerated}");
            return;
        }

        var step = OnnxStepBuilder.Build(graph);
        if (step.Refusal is { } refusal)
        {
            string message = $"The cell {model.TypeName} cannot be exported to ONNX: {refusal}.";
            w.Line($"public {Onnx}OnnxStepGraph {GeneratedNames.OnnxStepGraph} => throw new global::System.NotSupportedException({Quote(message)});");
            return;
        }

        w.Line($"public {Onnx}OnnxStepGraph {GeneratedNames.OnnxStepGraph} => {GeneratedNames.OnnxDescription}.StepGraph;");
        w.Line();
        w.Line("/// <summary>The ONNX description, built at its first use (not with the cell's other statics).</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Open($"private static class {GeneratedNames.OnnxDescription}");
        w.Line($"public static readonly {Onnx}OnnxStepGraph StepGraph = new(");
        w.Line($"    Inputs: new {Onnx}OnnxValue[] {{ {string.Join(", ", step.Inputs.Select(v => $"new({Quote(v.Name)}, {v.Size})"))} }},");
        w.Line($"    States: new {Onnx}OnnxState[] {{ {string.Join(", ", step.States.Select(s => $"new({Quote(s.Previous)}, {Quote(s.Next)}, {s.Size})"))} }},");
        w.Line($"    Outputs: new {Onnx}OnnxValue[] {{ {string.Join(", ", step.Outputs.Select(v => $"new({Quote(v.Name)}, {v.Size})"))} }},");
        w.Line($"    Parameters: new string[] {{ {string.Join(", ", step.Parameters.Select(Quote))} }},");
        w.Line($"    Nodes: new {Onnx}OnnxNode[]");
        w.Line("    {");
        string? equation = null;
        foreach (var node in step.Nodes)
        {
            if (node.Equation != equation)
            {
                equation = node.Equation;
                w.Line("        // " + (equation ?? "a carried output, also a state"));
            }

            w.Line("        " + Node(node) + ",");
        }

        w.Line("    });");
        w.Close();
    }

    /// <summary>
    /// The constructor call of one node: name, operator, output(s), inputs; its attributes, or a Constant's value; its doc
    /// string, the text it computes.
    /// </summary>
    private static string Node(OnnxStepNode node)
    {
        string name = Quote(node.Name);
        string doc = $"{{ DocString = {Quote(node.DocString)} }}";
        if (node.Constant is { } constant)
        {
            string value = constant.Integers is { } integers
                ? $"{Onnx}OnnxConstant.Int64Vector({string.Join(", ", integers)})"
                : $"{Onnx}OnnxConstant.RealScalar({CSharp.Literal(constant.Real!.Value, Precision.Double)})";
            return $"{Onnx}OnnxNode.Constant({name}, {value}) with {doc}";
        }

        if (node.Attributes.Count == 0 && node.Outputs.Count == 1)
        {
            return $"new({name}, {Quote(node.OpType)}, {name}{string.Concat(node.Inputs.Select(i => ", " + Quote(i)))}) {doc}";
        }

        string attributes = string.Join(", ", node.Attributes.Select(a => a.Real is { } real
            ? $"{Onnx}OnnxAttribute.FloatValue({Quote(a.Name)}, {CSharp.Literal(real, Precision.Single)})"
            : $"{Onnx}OnnxAttribute.Int({Quote(a.Name)}, {a.Value})"));
        return $"new({name}, {Quote(node.OpType)}, new[] {{ {string.Join(", ", node.Inputs.Select(Quote))} }}, " +
            $"new[] {{ {string.Join(", ", node.Outputs.Select(Quote))} }}, new[] {{ {attributes} }}) {doc}";
    }

    private static string Quote(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
