using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;

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

    public StepScope(CellGraph graph, string elementType)
    {
        _graph = graph;
        ElementType = elementType;
    }

    public string ElementType { get; }

    public CellGraph Graph => _graph;

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

        return Value(node.Children[0]) + ".Slice(" + node.SliceStart + ", " + node.Length + ")";
    }

    /// <summary>The span holding a node's adjoint (for a vector parameter, its gradient).</summary>
    public string Adjoint(Node node)
    {
        if (node.Kind == NodeKind.Slice)
        {
            return Adjoint(node.Children[0]) + ".Slice(" + node.SliceStart + ", " + node.Length + ")";
        }

        string name = node.Kind == NodeKind.ParameterVector ? Gradient(node.LeafName!) : "d_" + node.Local;
        _used.Add(name);
        return name;
    }

    /// <summary>How an adjoint reads in comments: a slice as <c>d_gates_t[8..16]</c>, not as a Slice call.</summary>
    public static string AdjointText(Node node) => node.Kind switch
    {
        NodeKind.Slice => AdjointText(node.Children[0]) + "[" + node.SliceStart + ".." + (node.SliceStart + node.Length) + "]",
        NodeKind.ParameterVector => "grad_" + node.LeafName,
        _ => "d_" + node.Local,
    };

    /// <summary>How a value reads in comments: a slice as <c>gh_t[16..24]</c>.</summary>
    public static string ValueText(Node node) =>
        node.Local ?? ValueText(node.Children[0]) + "[" + node.SliceStart + ".." + (node.SliceStart + node.Length) + "]";

    public string Parameter(string name)
    {
        _used.Add(name);
        return CSharp.Identifier(name);
    }

    public string Gradient(string parameter)
    {
        string name = "grad_" + parameter;
        _used.Add(name);
        return name;
    }

    /// <summary>Writes the declarations of every used local, in a stable order, before the body.</summary>
    public void DeclareUsed(SourceWriter writer, bool backward)
    {
        string t = ElementType;
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
                writer.Line($"{CSharp.ReadOnlySpan}<{t}> {CSharp.Identifier(parameter.Name)} = _parameters.Slice({_graph.ParameterOffset(parameter.Name)}, {parameter.Length});");
            }
        }

        foreach (var parameter in _graph.Model.Parameters)
        {
            if (_used.Contains("grad_" + parameter.Name))
            {
                writer.Line($"var grad_{parameter.Name} = _gradients.Slice({_graph.ParameterOffset(parameter.Name)}, {parameter.Length});");
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
            if (_used.Contains("d_" + leaf.Local))
            {
                var vector = _graph.Model.Vectors.First(v => v.Name == leaf.LeafName);
                writer.Line($"var d_{leaf.Local} = adjointFrames.Slice({_graph.StateOffset(vector.Name)}, {vector.Length});");
            }
        }

        foreach (var node in _graph.Materialized)
        {
            if (_used.Contains("d_" + node.Local))
            {
                writer.Line($"var d_{node.Local} = adjointFrames.Slice(FrameSize + {node.FrameOffset}, {node.Length});");
            }
        }
    }

    private IEnumerable<Node> NamedSlices() =>
        _graph.Model.Statements.Select(s => _graph.ValueOf(s.Name)).Where(n => n.Kind == NodeKind.Slice);
}
