using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// The locals of a step method: views of the input, previous state, parameters, frame (and, backward, of
/// the gradients and adjoints). The body is written first while recording which locals it uses; only those
/// are declared, so the generated method holds no unused view.
/// </summary>
internal sealed class StepScope
{
    private readonly CellGraph _graph;
    private readonly HashSet<string> _used = new();

    public StepScope(CellGraph graph) => _graph = graph;

    /// <summary>The span holding a node's primal value at step t.</summary>
    public string Value(Node node)
    {
        if (node.Local is { } local)
        {
            _used.Add(local);
            if (node.Kind == NodeKind.Slice)
            {
                Value(node.Children[0]);
            }

            // A vector parameter's local is the parameter's own name, which may be a keyword (@base).
            return node.Kind == NodeKind.ParameterVector ? CSharp.Identifier(local) : local;
        }

        return Value(node.Children[0]) + Slice(node.SliceStart, node.Length);
    }

    /// <summary>The span holding a range of a primal value: a slice the equations named (<c>var a = v[0..4]</c>) by its name.</summary>
    public string Value(ValueRange range) => NamedSlice(_graph, range) is { } named
        ? Value(named)
        : Value(range.Buffer) + SliceUnlessWhole(range.Buffer, range.Start, range.Length);

    /// <summary>The span holding an adjoint range (for a vector parameter, a range of its gradient).</summary>
    public string Adjoint(AdjointRange range)
    {
        var buffer = range.Buffer;
        string name = buffer.Kind == NodeKind.ParameterVector ? GeneratedNames.Gradient(buffer.LeafName!) : GeneratedNames.Adjoint(buffer.Local!);
        _used.Add(name);
        return name + SliceUnlessWhole(buffer, range.Start, range.Length);
    }

    /// <summary>How an adjoint range reads in comments: <c>d_gates_t[8..16]</c>, not a Slice call.</summary>
    public static string AdjointText(AdjointRange range)
    {
        var buffer = range.Buffer;
        string name = buffer.Kind == NodeKind.ParameterVector ? GeneratedNames.Gradient(buffer.LeafName!) : GeneratedNames.Adjoint(buffer.Local!);
        return name + RangeText(buffer, range.Start, range.Length);
    }

    /// <summary>How a value range reads in comments: <c>gh_t[16..24]</c>, or the name the equations gave the slice.</summary>
    public static string ValueText(CellGraph graph, ValueRange range) =>
        NamedSlice(graph, range)?.Local ?? range.Buffer.Local + RangeText(range.Buffer, range.Start, range.Length);

    public string Parameter(string name)
    {
        _used.Add(name);
        return CSharp.Identifier(name);
    }

    public string Gradient(string parameter)
    {
        string name = GeneratedNames.Gradient(parameter);
        _used.Add(name);
        return name;
    }

    /// <summary>Writes the declarations of every used local, in a stable order, before the body.</summary>
    public void DeclareUsed(SourceWriter writer, bool backward)
    {
        foreach (var leaf in _graph.Leaves.OrderBy(l => l.Kind).ThenBy(l => l.LeafName))
        {
            if (!_used.Contains(leaf.Local!) || leaf.Kind == NodeKind.ParameterVector)
            {
                continue;
            }

            var vector = _graph.Model.Vectors.First(v => v.Name == leaf.LeafName);
            writer.Line(leaf.Kind == NodeKind.Input
                ? $"var {leaf.Local} = input.Slice({_graph.InputOffset(vector.Name)}, {vector.Length});"
                : $"var {leaf.Local} = {(backward ? "frames" : "previous")}.Slice({_graph.StateOffset(vector.Name)}, {vector.Length});");
        }

        foreach (var parameter in _graph.Model.Parameters)
        {
            if (_used.Contains(parameter.Name))
            {
                writer.Line($"var {CSharp.Identifier(parameter.Name)} = parameters.Slice({_graph.ParameterOffset(parameter.Name)}, {parameter.Length});");
            }
        }

        foreach (var parameter in _graph.Model.Parameters)
        {
            if (_used.Contains(GeneratedNames.Gradient(parameter.Name)))
            {
                writer.Line($"var {GeneratedNames.Gradient(parameter.Name)} = gradients.Slice({_graph.ParameterOffset(parameter.Name)}, {parameter.Length});");
            }
        }

        foreach (var node in _graph.Materialized)
        {
            if (_used.Contains(node.Local!))
            {
                writer.Line(backward
                    ? $"var {node.Local} = frames.Slice(FrameSize + {node.FrameOffset}, {node.Length});"
                    : $"var {node.Local} = frame.Slice({node.FrameOffset}, {node.Length});");
            }
        }

        foreach (var slice in NamedSlices().Distinct())
        {
            if (_used.Contains(slice.Local!))
            {
                var source = slice.Children[0];
                string sourceName = source.Kind == NodeKind.ParameterVector ? CSharp.Identifier(source.Local!) : source.Local!;
                writer.Line($"var {slice.Local} = {sourceName}.Slice({slice.SliceStart}, {slice.Length});");
            }
        }

        if (!backward)
        {
            return;
        }

        foreach (var leaf in _graph.Leaves.Where(l => l.Kind == NodeKind.Previous).OrderBy(l => l.LeafName))
        {
            string name = GeneratedNames.Adjoint(leaf.Local!);
            if (_used.Contains(name))
            {
                var vector = _graph.Model.Vectors.First(v => v.Name == leaf.LeafName);
                writer.Line($"var {name} = adjointFrames.Slice({_graph.StateOffset(vector.Name)}, {vector.Length});");
            }
        }

        foreach (var node in _graph.Materialized.Concat(_graph.Nodes.Where(n => n.HasAdjointOnly)))
        {
            string name = GeneratedNames.Adjoint(node.Local!);
            if (_used.Contains(name))
            {
                writer.Line($"var {name} = adjointFrames.Slice(FrameSize + {node.FrameOffset}, {node.Length});");
            }
        }
    }

    private static string Slice(int start, int length) => ".Slice(" + start + ", " + length + ")";

    private static string SliceUnlessWhole(Node buffer, int start, int length) =>
        start == 0 && length == buffer.Length ? "" : Slice(start, length);

    private static string RangeText(Node buffer, int start, int length) =>
        start == 0 && length == buffer.Length ? "" : "[" + start + ".." + (start + length) + "]";

    private static Node? NamedSlice(CellGraph graph, ValueRange range) =>
        NamedSlices(graph).FirstOrDefault(s => s.Children[0] == range.Buffer && s.SliceStart == range.Start && s.Length == range.Length);

    private IEnumerable<Node> NamedSlices() => NamedSlices(_graph);

    private static IEnumerable<Node> NamedSlices(CellGraph graph) =>
        graph.Model.Statements.Select(s => graph.ValueOf(s.Name)).Where(n => n.Kind == NodeKind.Slice);
}
