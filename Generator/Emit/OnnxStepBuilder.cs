using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Builds a cell's <see cref="OnnxStep"/> from its step graph, the one the forward pass computes: statement after
/// statement, each node of the graph as its ONNX pattern, children first. Every value is a row [1, n] (a batch of
/// one), so that a product is one <c>Gemm</c> over the checkpoint's weight. The patterns:
/// <list type="bullet">
/// <item>W * v: <c>Gemm(v, W, transB = 1)</c>, W [rows, columns] as in the checkpoints (PyTorch's layout); a bias
/// vector added right after it in a sum joins it as <c>Gemm</c>'s C: W * x + b is one node.</item>
/// <item>the rest of a sum: <c>Add</c> (<c>Sub</c> for a subtracted term), left to right as written.</item>
/// <item>a * b: <c>Mul</c>.</item>
/// <item>scale * v + offset: as the forward pass computes it, <c>Neg</c>, <c>Sub(offset, v)</c>, <c>Add(v, offset)</c>,
/// <c>Mul(v, scale)</c> or <c>Mul</c> then <c>Add</c>, with real scalar <c>Constant</c>s.</item>
/// <item>f(v): the primitive's operator (<see cref="Primitives.Primitive.Onnx"/>).</item>
/// <item>v[i..j]: the slices of one value that tile it, one <c>Split</c> along the last axis; any other slice a
/// <c>Slice</c> with int64 <c>Constant</c> bounds.</item>
/// <item>a state or output assigned an existing value: <c>Identity</c>.</item>
/// </list>
/// Names are identifiers (letters, digits, underscores; <see cref="Identifier"/>): a value is named after its statement
/// when it has one (<c>gates</c>, <c>h</c>), else after its text in the equations (<c>W_ih * x + b_ih</c> as
/// <c>W_ih_x_b_ih</c>), a slice without a name after its source and bounds (<c>gates_0_32</c>); each node carries the
/// text it computes as its doc string. A state is read as <c>{s}_prev</c>. The sequence model's own names
/// (<c>{x}_sequence</c>, <c>initial_{s}_prev</c>, <c>final_{s}</c>) are reserved: a local named so gets a suffix.
/// </summary>
internal sealed class OnnxStepBuilder
{
    private readonly CellGraph _graph;
    private readonly List<OnnxStepNode> _nodes = new();
    private readonly Dictionary<Node, string> _values = new();
    private readonly Dictionary<string, string> _previous = new();
    private readonly Dictionary<string, string> _statementNames = new();
    private readonly Dictionary<string, string> _carriedOutputs = new();
    private readonly HashSet<string> _taken;
    private string? _equation;
    private string? _refusal;

    private OnnxStepBuilder(CellGraph graph)
    {
        _graph = graph;
        var model = graph.Model;
        _taken = new HashSet<string>(model.Vectors.Select(v => v.Name).Concat(model.Parameters.Select(p => p.Name)));
        foreach (var vector in graph.Recurrent)
        {
            _previous[vector.Name] = Unique(vector.Name + "_prev");
            if (vector.Role == VectorRole.Output)
            {
                _carriedOutputs[vector.Name] = Unique(vector.Name + "_next");
            }
        }

        // The sequence model's own names: a value of the Scan body must not shadow them.
        foreach (var vector in graph.Recurrent)
        {
            _taken.Add("initial_" + _previous[vector.Name]);
            _taken.Add("final_" + (_carriedOutputs.TryGetValue(vector.Name, out var next) ? next : vector.Name));
        }

        foreach (var vector in model.Vectors.Where(v => v.Role != VectorRole.State))
        {
            _taken.Add(vector.Name + "_sequence");
        }

        // A statement assigns a state or output (reserved above, under its own name) or a local (named after it, if free).
        var vectors = new HashSet<string>(model.Vectors.Select(v => v.Name));
        foreach (var statement in model.Statements)
        {
            _statementNames[statement.Name] = vectors.Contains(statement.Name) ? statement.Name : Unique(statement.Name);
        }
    }

    /// <summary>The ONNX step of a cell whose equations are valid.</summary>
    public static OnnxStep Build(CellGraph graph) => new OnnxStepBuilder(graph).Build();

    /// <summary>
    /// <paramref name="text"/> as a C90 identifier, as the ONNX IR asks of names: each run of other characters becomes
    /// one underscore (<c>W_ih * x</c> is <c>W_ih_x</c>), and a name that would start with a digit gets a leading v.
    /// </summary>
    public static string Identifier(string text)
    {
        var name = new System.Text.StringBuilder();
        foreach (char ch in text)
        {
            bool word = ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';
            if (word)
            {
                name.Append(ch);
            }
            else if (name.Length > 0 && name[name.Length - 1] != '_')
            {
                name.Append('_');
            }
        }

        string result = name.ToString().TrimEnd('_');
        return result.Length == 0 || char.IsDigit(result[0]) ? "v" + result : result;
    }

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
            if (_carriedOutputs.TryGetValue(vector.Name, out var carried))
            {
                next = Add(carried, "Identity", $"{vector.Name}, carried to the next step", vector.Name);
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
                NodeKind.MatVec => Gemm(NameOf(node), Described(node), node, bias: null),
                // Wᵀ v as the row vector vᵀ W: Gemm(v, W) without transB, the weight as the checkpoint holds it.
                NodeKind.TransposedMatVec => Add(NameOf(node), "Gemm", Described(node), Value(node.Children[0]), node.Matrix!.Name),
                NodeKind.Multiply => Add(NameOf(node), "Mul", Described(node), Value(node.Children[0]), Value(node.Children[1])),
                NodeKind.Divide => Add(NameOf(node), "Div", Described(node), Value(node.Children[0]), Value(node.Children[1])),
                NodeKind.Maximum => Add(NameOf(node), "Max", Described(node), Value(node.Children[0]), Value(node.Children[1])),
                NodeKind.Minimum => Add(NameOf(node), "Min", Described(node), Value(node.Children[0]), Value(node.Children[1])),
                NodeKind.Sum => Sum(node),
                NodeKind.Affine => Affine(node),
                NodeKind.Function => Function(node),
                NodeKind.Slice => Slice(node),
                NodeKind.Broadcast => Value(node.Children[0]), // a [.., 1] value: Add, Sub, Mul and Div broadcast it themselves
                NodeKind.Concat => Concat(node),
                NodeKind.LayerNorm => LayerNormalization(node),
                _ => Add(NameOf(node), "Identity", Described(node), Value(node.Children[0])),
            };
            _values[node] = name;
        }

        return name;
    }

    /// <summary>
    /// <c>concat(a, b, ...)</c>: Concat along the vectors' axis. A vector parameter is a rank-1 initializer, which Concat
    /// does not broadcast over the batch as the element-wise operators do: such a concatenation is refused.
    /// </summary>
    private string Concat(Node concat)
    {
        string name = NameOf(concat);
        if (concat.Children.Any(p => p.Kind == NodeKind.ParameterVector || (p.Kind == NodeKind.Slice && p.Children[0].Kind == NodeKind.ParameterVector)))
        {
            _refusal ??= $"'{concat.Text}': a vector parameter inside concat(...) is not exported (ONNX's Concat does not broadcast it over the batch)";
            return name;
        }

        _nodes.Add(new OnnxStepNode(new[] { name }, "Concat", concat.Children.Select(Value).ToList(), LastAxis, null, Described(concat), _equation));
        return name;
    }

    /// <summary><c>layernorm(v, gain, bias, eps)</c>: LayerNormalization (opset 17) over the vectors' axis, with the biased variance as here.</summary>
    private string LayerNormalization(Node norm)
    {
        string name = NameOf(norm);
        var attributes = new[] { new OnnxStepAttribute("axis", -1), new OnnxStepAttribute("epsilon", 0, norm.Epsilon) };
        _nodes.Add(new OnnxStepNode(new[] { name }, "LayerNormalization", norm.Children.Select(Value).ToList(), attributes, null, Described(norm), _equation));
        return name;
    }

    private static readonly IReadOnlyList<OnnxStepAttribute> LastAxis = new[] { new OnnxStepAttribute("axis", -1) };

    /// <summary>W * v (+ bias): <c>Gemm(v, W, bias, transB = 1)</c>, the weight as the checkpoint holds it.</summary>
    private string Gemm(string name, string text, Node matVec, Node? bias)
    {
        var inputs = new List<string> { Value(matVec.Children[0]), matVec.Matrix!.Name };
        if (bias is not null)
        {
            inputs.Add(Value(bias));
        }

        _nodes.Add(new OnnxStepNode(new[] { name }, "Gemm", inputs, Transposed, null, text, _equation));
        return name;
    }

    private static readonly IReadOnlyList<OnnxStepAttribute> Transposed = new[] { new OnnxStepAttribute("transB", 1) };

    /// <summary>
    /// The sum as written, left to right, one Add or Sub per operator, except that a product W * v followed by an added
    /// bias vector is one Gemm. The graph's flat list of terms holds a subtracted term as its negation, which Sub takes
    /// the place of.
    /// </summary>
    private string Sum(Node sum)
    {
        var terms = new List<(Node Term, bool Subtracted)>();
        Terms((ElementwiseExpr)sum.Source!, new Queue<Node>(sum.Children), terms);
        string? total = null;
        string text = "";
        for (int i = 0; i < terms.Count; i++)
        {
            var (term, subtracted) = terms[i];
            bool last;
            string termText;
            string termValue;
            if (!subtracted && term.Kind == NodeKind.MatVec && term.Consumers.Count == 1 && !_values.ContainsKey(term)
                && i + 1 < terms.Count && terms[i + 1] is { Subtracted: false, Term.Kind: NodeKind.ParameterVector } bias)
            {
                termText = $"{term.Text} + {bias.Term.Text}";
                last = i + 2 == terms.Count;
                bool whole = total is null && last;
                termValue = Gemm(whole ? NameOf(sum) : Unique(Identifier(termText)), whole ? Described(sum) : termText, term, bias.Term);
                i++;
            }
            else
            {
                termText = term.Text;
                last = i + 1 == terms.Count;
                termValue = Value(term);
            }

            if (total is null)
            {
                total = termValue;
                text = termText;
                continue;
            }

            text = $"{text} {(subtracted ? "-" : "+")} {termText}";
            total = Add(last ? NameOf(sum) : Unique(Identifier(text)), subtracted ? "Sub" : "Add", last ? Described(sum) : text, total, termValue);
        }

        return total!;
    }

    /// <summary>The terms of <paramref name="expr"/> in order as written, each with whether it is subtracted.</summary>
    private static void Terms(ElementwiseExpr expr, Queue<Node> children, List<(Node, bool)> terms)
    {
        Term(expr.Left, children, terms);
        if (expr.Op == ElementwiseOp.Add)
        {
            Term(expr.Right, children, terms);
        }
        else
        {
            terms.Add((children.Dequeue().Children[0], true));
        }
    }

    private static void Term(Expr expr, Queue<Node> children, List<(Node, bool)> terms)
    {
        if (expr is ElementwiseExpr { Op: ElementwiseOp.Add or ElementwiseOp.Subtract } partial)
        {
            Terms(partial, children, terms);
        }
        else
        {
            terms.Add((children.Dequeue(), false));
        }
    }

    /// <summary>scale * v + offset, computed as the forward pass computes it (ForwardEmitter's AffineElement).</summary>
    private string Affine(Node node)
    {
        string operand = Value(node.Children[0]);
        string name = NameOf(node);
        string text = Described(node);
        return (node.Scale, node.Offset) switch
        {
            (1, 0) => Add(name, "Identity", text, operand),
            (-1, 0) => Add(name, "Neg", text, operand),
            (-1, _) => Add(name, "Sub", text, Real(name + "_offset", node.Offset), operand),
            (1, _) => Add(name, "Add", text, operand, Real(name + "_offset", node.Offset)),
            (_, 0) => Add(name, "Mul", text, operand, Real(name + "_scale", node.Scale)),
            _ => Add(name, "Add", text,
                Add(Unique(name + "_scaled"), "Mul", $"{node.Scale} * ({node.Children[0].Text})", operand, Real(name + "_scale", node.Scale)),
                Real(name + "_offset", node.Offset)),
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

        return Add(name, op, Described(node), argument);
    }

    /// <summary>
    /// A slice: when the slices of its source tile it, one <c>Split</c> produces all of them (the gate blocks of
    /// an LSTM); otherwise a <c>Slice</c> along the last axis.
    /// </summary>
    private string Slice(Node node)
    {
        var sourceNode = node.Children[0];
        string source = Value(sourceNode);
        var siblings = sourceNode.Consumers.Where(n => n.Kind == NodeKind.Slice).Distinct().ToList();
        var blocks = siblings.Select(n => (Start: n.SliceStart, End: n.SliceStart + n.Length)).Distinct().OrderBy(b => b.Start).ToList();
        bool tiles = blocks.Count > 1 && blocks[0].Start == 0 && blocks[blocks.Count - 1].End == sourceNode.Length
            && blocks.Zip(blocks.Skip(1), (a, b) => a.End == b.Start).All(adjacent => adjacent);
        if (!tiles)
        {
            int end = node.SliceStart + node.Length;
            string name = SliceName(node, source);
            string text = $"{Shown(sourceNode)}[{node.SliceStart}..{end}]";
            return Add(name, "Slice", text, source, Integers(name + "_starts", node.SliceStart),
                Integers(name + "_ends", end), Integers(name + "_axes", -1));
        }

        // One output per block, named after the first slice of that block (a named one if any).
        var outputs = blocks.Select(b => siblings.Where(n => n.SliceStart == b.Start && n.SliceStart + n.Length == b.End)
                .OrderBy(n => n.Statement is null).First())
            .Select(n => (Block: n, Name: SliceName(n, source))).ToList();
        foreach (var sibling in siblings)
        {
            _values[sibling] = outputs.First(o => o.Block.SliceStart == sibling.SliceStart && o.Block.Length == sibling.Length).Name;
        }

        var inputs = new List<string> { source };
        if (blocks.Select(b => b.End - b.Start).Distinct().Count() > 1)
        {
            inputs.Add(Integers(Identifier(source + "_split_sizes"), blocks.Select(b => (long)(b.End - b.Start)).ToArray()));
        }

        string described = string.Join(", ", blocks.Select(b => $"{Shown(sourceNode)}[{b.Start}..{b.End}]"));
        _nodes.Add(new OnnxStepNode(outputs.Select(o => o.Name).ToList(), "Split", inputs,
            new[] { new OnnxStepAttribute("axis", -1) }, null, described, _equation));
        return _values[node];
    }

    private string SliceName(Node slice, string source) =>
        slice.Statement is { } statement ? _statementNames[statement.Name] : Unique($"{source}_{slice.SliceStart}_{slice.SliceStart + slice.Length}");

    /// <summary>The statement's name for a named value (reserved for it), else a fresh identifier from its text.</summary>
    private string NameOf(Node node) => node.Statement is { } statement ? _statementNames[statement.Name] : Unique(Identifier(node.Text));

    /// <summary>The doc string of a node: its statement written out for a named value, else its text in the equations.</summary>
    private static string Described(Node node) => node.Statement is { } statement ? statement.Text : node.Text;

    /// <summary>A value as the equations refer to it: its name, or its text in parentheses.</summary>
    private static string Shown(Node node) => node.Statement?.Name ?? (node.IsLeaf ? node.LeafName! : $"({node.Text})");

    private string Real(string name, double value)
    {
        string output = Unique(name);
        _nodes.Add(new OnnxStepNode(new[] { output }, "Constant", new string[0], new OnnxStepAttribute[0],
            new OnnxStepConstant(null, value), $"{value}", _equation));
        return output;
    }

    private string Integers(string name, params long[] values)
    {
        string output = Unique(name);
        _nodes.Add(new OnnxStepNode(new[] { output }, "Constant", new string[0], new OnnxStepAttribute[0],
            new OnnxStepConstant(values, null), $"[{string.Join(", ", values)}]", _equation));
        return output;
    }

    private string Add(string name, string op, string text, params string[] inputs)
    {
        _nodes.Add(new OnnxStepNode(new[] { name }, op, inputs, new OnnxStepAttribute[0], null, text, _equation));
        return name;
    }

    /// <summary><paramref name="candidate"/>, or with _2, _3... when a value already has that name.</summary>
    private string Unique(string candidate)
    {
        string name = candidate;
        for (int i = 2; !_taken.Add(name); i++)
        {
            name = candidate + "_" + i;
        }

        return name;
    }
}
