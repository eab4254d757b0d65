using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// The locals of a step method: views of the input, previous state, parameters, frame (and, backward, of
/// the gradients and adjoints). The body is written first while recording which locals it uses; only those
/// are declared, so the generated method holds no unused view. A batched step's views are the same, over B streams
/// (<see cref="BatchedLayout"/>): every offset and length times <c>batch</c>, the vector parameters broadcast. The
/// inference step reads the parameters from its snapshot, <c>weights</c>, with the views of the snapshot's own
/// stacked weights and summed biases (<see cref="PreparedLayout"/>).
/// </summary>
internal sealed class StepScope
{
    private readonly CellGraph _graph;
    private readonly bool _batched;
    private readonly PreparedLayout? _prepared;
    private readonly HashSet<string> _used = new();

    public StepScope(CellGraph graph, bool batched = false, PreparedLayout? prepared = null)
    {
        _graph = graph;
        _batched = batched;
        _prepared = prepared;
    }

    /// <summary>The span the step reads the parameters from: the cell's, or the inference snapshot.</summary>
    private string ParameterBuffer => _prepared is null ? "parameters" : "weights";

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

        return Value(node.Children[0]) + Slice(node.SliceStart, node.Length, _batched);
    }

    /// <summary>The span holding a layer norm's statistics at step t: x̂, then 1/σ.</summary>
    public string Statistics(Node norm)
    {
        _used.Add(norm.StatisticsLocal!);
        return norm.StatisticsLocal!;
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

    /// <summary>A view of the inference snapshot's own data: stacked weights, or a sum of biases.</summary>
    public string Prepared(string name)
    {
        _used.Add(name);
        return name;
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
                ? $"var {leaf.Local} = input{Slice(_graph.InputOffset(vector.Name), vector.Length, _batched)};"
                : $"var {leaf.Local} = {(backward ? "frames" : "previous")}{Slice(_graph.StateOffset(vector.Name), vector.Length, _batched)};");
        }

        foreach (var parameter in _graph.Model.Parameters)
        {
            if (_used.Contains(parameter.Name))
            {
                writer.Line($"var {CSharp.Identifier(parameter.Name)} = {ParameterView(parameter, ParameterBuffer, BatchedLayout.Broadcast)};");
            }
        }

        foreach (var (name, offset, length) in PreparedViews().Distinct())
        {
            if (_used.Contains(name))
            {
                writer.Line($"var {name} = weights.Slice({offset}, {length});");
            }
        }

        foreach (var parameter in _graph.Model.Parameters)
        {
            if (_used.Contains(GeneratedNames.Gradient(parameter.Name)))
            {
                writer.Line($"var {GeneratedNames.Gradient(parameter.Name)} = {ParameterView(parameter, "gradients", BatchedLayout.VectorGradients)};");
            }
        }

        foreach (var node in _graph.Materialized)
        {
            if (_used.Contains(node.Local!))
            {
                writer.Line(backward
                    ? $"var {node.Local} = frames{FrameSlice(node.FrameOffset, node.Length)};"
                    : $"var {node.Local} = frame{Slice(node.FrameOffset, node.Length, _batched)};");
            }

            if (node.StatisticsLocal is { } statistics && _used.Contains(statistics))
            {
                writer.Line(backward
                    ? $"var {statistics} = frames{FrameSlice(node.StatisticsOffset, node.Length + 1)};"
                    : $"var {statistics} = frame{Slice(node.StatisticsOffset, node.Length + 1, _batched)};");
            }
        }

        foreach (var slice in NamedSlices().Distinct())
        {
            if (_used.Contains(slice.Local!))
            {
                var source = slice.Children[0];
                string sourceName = source.Kind == NodeKind.ParameterVector ? CSharp.Identifier(source.Local!) : source.Local!;
                writer.Line($"var {slice.Local} = {sourceName}{Slice(slice.SliceStart, slice.Length, _batched)};");
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
                writer.Line($"var {name} = adjointFrames{Slice(_graph.StateOffset(vector.Name), vector.Length, _batched)};");
            }
        }

        foreach (var node in _graph.Materialized.Concat(_graph.Nodes.Where(n => n.HasAdjointOnly)))
        {
            string name = GeneratedNames.Adjoint(node.Local!);
            if (_used.Contains(name))
            {
                writer.Line($"var {name} = adjointFrames{FrameSlice(node.FrameOffset, node.Length)};");
            }
        }
    }

    /// <summary>The snapshot's stacked weights and summed biases: name, offset, length.</summary>
    private IEnumerable<(string Name, int Offset, int Length)> PreparedViews()
    {
        foreach (var sum in _prepared?.Sums ?? Enumerable.Empty<PreparedSum>())
        {
            yield return (sum.Weights.Name, sum.Weights.Offset, sum.Weights.Length);
            if (sum.Bias is { IsDerived: true } bias)
            {
                yield return (bias.Name, bias.Offset, bias.Length);
            }
        }
    }

    private static string Slice(int start, int length, bool batched) =>
        batched ? ".Slice(" + BatchedLayout.Scaled(start) + ", " + BatchedLayout.Scaled(length) + ")" : ".Slice(" + start + ", " + length + ")";

    /// <summary>A slot of the frame of step t, in a span that starts with s_{t-1}.</summary>
    private string FrameSlice(int offset, int length) => _batched
        ? $".Slice((FrameSize + {offset}) * {BatchedLayout.Batch}, {BatchedLayout.Scaled(length)})"
        : $".Slice(FrameSize + {offset}, {length})";

    /// <summary>A parameter (or its gradient) in its buffer; a batched step reads a vector parameter's broadcast block instead.</summary>
    private string ParameterView(Models.ParameterDeclaration parameter, string buffer, string batchedVectorBuffer) =>
        _batched && !parameter.IsMatrix
            ? batchedVectorBuffer + Slice(BatchedLayout.VectorOffset(_graph, parameter.Name), parameter.Length, batched: true)
            : $"{buffer}.Slice({_graph.ParameterOffset(parameter.Name)}, {parameter.Length})";

    private string SliceUnlessWhole(Node buffer, int start, int length) =>
        start == 0 && length == buffer.Length ? "" : Slice(start, length, _batched);

    private static string RangeText(Node buffer, int start, int length) =>
        start == 0 && length == buffer.Length ? "" : "[" + start + ".." + (start + length) + "]";

    private static Node? NamedSlice(CellGraph graph, ValueRange range) =>
        NamedSlices(graph).FirstOrDefault(s => s.Children[0] == range.Buffer && s.SliceStart == range.Start && s.Length == range.Length);

    private IEnumerable<Node> NamedSlices() => NamedSlices(_graph);

    private static IEnumerable<Node> NamedSlices(CellGraph graph) =>
        graph.Model.Statements.Select(s => graph.ValueOf(s.Name)).Where(n => n.Kind == NodeKind.Slice);
}
