using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Builds a cell's <see cref="OnnxStep"/> from its step graph, the one the forward pass computes: statement after
/// statement, each node of the graph as its ONNX pattern, children first. The patterns:
/// <list type="bullet">
/// <item>W * v: <c>MatMul(W, v)</c>, W [rows, columns] as in the checkpoints (PyTorch's layout), v [columns].</item>
/// <item>a sum: <c>Add</c> (<c>Sub</c> for a subtracted term), left to right as written, one node per operator.</item>
/// <item>a * b: <c>Mul</c>.</item>
/// <item>scale * v + offset: as the forward pass computes it, <c>Neg</c>, <c>Sub(offset, v)</c>, <c>Add(v, offset)</c>,
/// <c>Mul(v, scale)</c> or <c>Mul</c> then <c>Add</c>, with real scalar <c>Constant</c>s.</item>
/// <item>f(v): the primitive's operator (<see cref="Primitives.Primitive.Onnx"/>).</item>
/// <item>v[i..j]: <c>Slice(v, starts, ends)</c> with int64 <c>Constant</c> bounds.</item>
/// <item>a state or output assigned an existing value: <c>Identity</c>.</item>
/// </list>
/// A value is named after its statement when it has one (<c>gates</c>, <c>h</c>), else after its text in the equations
/// (<c>W_ih * x</c>); a slice without a name after its source and bounds (<c>gates[0..6]</c>); a constant after its node
/// and role (<c>1 - z.offset</c>). A state is read as <c>{s}_prev</c>.
/// </summary>
internal sealed class OnnxStepBuilder
{
    private readonly CellGraph _graph;
    private readonly List<OnnxStepNode> _nodes = new();
    private readonly Dictionary<Node, string> _values = new();
    private readonly Dictionary<string, string> _previous = new();
    private readonly HashSet<string> _taken;
    private string? _equation;
    private string? _refusal;

    private OnnxStepBuilder(CellGraph graph)
    {
        _graph = graph;
        var model = graph.Model;
        _taken = new HashSet<string>(model.Vectors.Select(v => v.Name)
            .Concat(model.Parameters.Select(p => p.Name))
            .Concat(model.Statements.Select(s => s.Name)));
        foreach (var vector in graph.Recurrent)
        {
            _previous[vector.Name] = Unique(vector.Name + "_prev");
        }

        // The sequence model's own names: a value of the Scan body must not shadow them.
        foreach (var vector in graph.Recurrent)
        {
            _taken.Add("initial_" + _previous[vector.Name]);
            _taken.Add("final_" + vector.Name);
        }

        foreach (var vector in model.Vectors.Where(v => v.Role != VectorRole.State))
        {
            _taken.Add(vector.Name + "_sequence");
        }
    }

    /// <summary>The ONNX step of a cell whose equations are valid.</summary>
    public static OnnxStep Build(CellGraph graph) => new OnnxStepBuilder(graph).Build();

    private OnnxStep Build()
    {
        foreach (var statement in _graph.Model.Statements)
        {
            _equation = statement.Text;
            Value(_graph.ValueOf(statement.Name));
        }

        // A carried output (Jordan's y) leaves the step twice, as the output and as the state: two names.
        _equation = null;
        var states = new List<OnnxStepState>();
        foreach (var vector in _graph.Recurrent)
        {
            string next = vector.Name;
            if (vector.Role == VectorRole.Output)
            {
                next = Add(vector.Name + "_next", "Identity", vector.Name);
            }

            states.Add(new OnnxStepState(_previous[vector.Name], next, vector.Length));
        }

        return new OnnxStep(
            _graph.Inputs.Select(v => new OnnxStepValue(v.Name, v.Length)).ToList(),
            states,
            _graph.Outputs.Select(v => new OnnxStepValue(v.Name, v.Length)).ToList(),
            _graph.Model.Parameters.Select(p => p.Name).ToList(),
            _nodes,
            _refusal);
    }

    /// <summary>The name of the ONNX value of <paramref name="node"/>, adding its nodes (and its children's) at the first call.</summary>
    private string Value(Node node)
    {
        if (!_values.TryGetValue(node, out var name))
        {
            name = node.Kind switch
            {
                NodeKind.Input or NodeKind.ParameterVector => node.LeafName!,
                NodeKind.Previous => _previous[node.LeafName!],
                NodeKind.MatVec => Add(NameOf(node), "MatMul", node.Matrix!.Name, Value(node.Children[0])),
                NodeKind.Multiply => Add(NameOf(node), "Mul", Value(node.Children[0]), Value(node.Children[1])),
                NodeKind.Sum => Sum(node, (ElementwiseExpr)node.Source!, new Queue<Node>(node.Children)),
                NodeKind.Affine => Affine(node),
                NodeKind.Function => Function(node),
                NodeKind.Slice => Slice(node),
                _ => Add(NameOf(node), "Identity", Value(node.Children[0])),
            };
            _values[node] = name;
        }

        return name;
    }

    /// <summary>
    /// The sum as written, one Add or Sub per operator, left to right: the graph's flat list of terms, in
    /// <paramref name="terms"/>, holds a subtracted term as its negation, which Sub takes the place of.
    /// </summary>
    private string Sum(Node sum, ElementwiseExpr expr, Queue<Node> terms)
    {
        string left = Term(sum, expr.Left, terms);
        string right = expr.Op == ElementwiseOp.Add ? Term(sum, expr.Right, terms) : Value(terms.Dequeue().Children[0]);
        string name = ReferenceEquals(expr, sum.Source) ? NameOf(sum) : Unique(expr.Text);
        return Add(name, expr.Op == ElementwiseOp.Add ? "Add" : "Sub", left, right);
    }

    private string Term(Node sum, Expr expr, Queue<Node> terms) =>
        expr is ElementwiseExpr { Op: ElementwiseOp.Add or ElementwiseOp.Subtract } partial
            ? Sum(sum, partial, terms)
            : Value(terms.Dequeue());

    /// <summary>scale * v + offset, computed as the forward pass computes it (ForwardEmitter's AffineElement).</summary>
    private string Affine(Node node)
    {
        string operand = Value(node.Children[0]);
        string name = NameOf(node);
        return (node.Scale, node.Offset) switch
        {
            (1, 0) => Add(name, "Identity", operand),
            (-1, 0) => Add(name, "Neg", operand),
            (-1, _) => Add(name, "Sub", Real(name + ".offset", node.Offset), operand),
            (1, _) => Add(name, "Add", operand, Real(name + ".offset", node.Offset)),
            (_, 0) => Add(name, "Mul", operand, Real(name + ".scale", node.Scale)),
            _ => Add(name, "Add", Add(Unique(name + ".scaled"), "Mul", operand, Real(name + ".scale", node.Scale)), Real(name + ".offset", node.Offset)),
        };
    }

    private string Function(Node node)
    {
        string argument = Value(node.Children[0]);
        string name = NameOf(node);
        if (node.Primitive!.Onnx is not { } op)
        {
            _refusal ??= $"'{node.Text}': ONNX has no operator for {node.Primitive.Name}";
            return name;
        }

        return Add(name, op, argument);
    }

    private string Slice(Node node)
    {
        string source = Value(node.Children[0]);
        int end = node.SliceStart + node.Length;
        string name = node.Statement is { } statement ? statement.Name : Unique($"{source}[{node.SliceStart}..{end}]");
        return Add(name, "Slice", source, Integer(name + ".starts", node.SliceStart), Integer(name + ".ends", end));
    }

    /// <summary>The statement's name for a named value (reserved for it), else a fresh name from its text.</summary>
    private string NameOf(Node node) => node.Statement is { } statement ? statement.Name : Unique(node.Text);

    private string Real(string name, double value)
    {
        _nodes.Add(new OnnxStepNode(Unique(name), "Constant", new string[0], new OnnxStepConstant(null, value), _equation));
        return _nodes[_nodes.Count - 1].Output;
    }

    private string Integer(string name, long value)
    {
        _nodes.Add(new OnnxStepNode(Unique(name), "Constant", new string[0], new OnnxStepConstant(value, null), _equation));
        return _nodes[_nodes.Count - 1].Output;
    }

    private string Add(string name, string op, params string[] inputs)
    {
        _nodes.Add(new OnnxStepNode(name, op, inputs, null, _equation));
        return name;
    }

    /// <summary><paramref name="candidate"/>, or with " #2", " #3"... when a value already has that name.</summary>
    private string Unique(string candidate)
    {
        string name = candidate;
        for (int i = 2; !_taken.Add(name); i++)
        {
            name = candidate + " #" + i;
        }

        return name;
    }
}
