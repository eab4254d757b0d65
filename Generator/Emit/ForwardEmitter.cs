using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes <c>ForwardStep</c>: one time step, computing every stored value of the frame from the input x_t
/// and the previous state s_{t-1}. Products with a weight matrix call the mat-vec kernels (a sum of one or two products
/// and up to two stored vectors, as the gates of an LSTM, is one <c>MatrixVector.MultiplySum</c> call); each run of element-wise
/// statements of one length (bias adds, activations, the cell update) is one fused loop with its values in registers
/// (<see cref="FusedLoop"/>), storing each value in the frame once. Above <see cref="FusedLoop.MaxLength"/> elements,
/// where a kernel call amortises, each statement calls its kernel instead, in place (<see cref="ForwardKernelCalls"/>,
/// as in the batched step).
/// </summary>
internal sealed class ForwardEmitter
{
    private readonly CellGraph _graph;
    private readonly StepScope _scope;
    private readonly SourceWriter _body = new();
    private readonly ForwardKernelCalls _calls;
    private readonly string _t;

    /// <summary>Whether this is the inference step, which stores only what outlives its fused loop.</summary>
    private readonly bool _inference;

    private ForwardEmitter(CellGraph graph, PreparedLayout? prepared)
    {
        _graph = graph;
        _inference = prepared is not null;
        _t = CSharp.Keyword(graph.Model.Precision);
        _scope = new StepScope(graph, prepared: prepared);
        _calls = new ForwardKernelCalls(graph, _scope, _body, StepKernels.SingleStream, prepared);
    }

    /// <summary>Writes <c>ForwardStep</c>, over the cell's parameters.</summary>
    public static void Emit(SourceWriter writer, CellGraph graph) =>
        new ForwardEmitter(graph, prepared: null).Write(writer, "ForwardStep", "parameters",
            "/// <summary>One step forward: fills <paramref name=\"frame\"/> from x_t (<paramref name=\"input\"/>) and s_{t-1} (<paramref name=\"previous\"/>).</summary>");

    /// <summary>
    /// Writes <c>InferenceStep</c>: the same step over a prepared snapshot (<see cref="PreparedLayout"/>), whose sums of
    /// products read stacked, transposed weights.
    /// </summary>
    public static void EmitInference(SourceWriter writer, CellGraph graph, PreparedLayout prepared) =>
        new ForwardEmitter(graph, prepared).Write(writer, "InferenceStep", "weights",
            "/// <summary>",
            "/// One inference step: fills <paramref name=\"frame\"/> from x_t (<paramref name=\"input\"/>) and s_{t-1} (<paramref name=\"previous\"/>)",
            "/// as ForwardStep does, over a prepared snapshot (<paramref name=\"weights\"/>: the parameters, then the stacked, transposed",
            "/// weights and summed biases of its sums of products). The same values as ForwardStep but for the order of summation.",
            "/// </summary>");

    private void Write(SourceWriter writer, string method, string parameters, params string[] summary)
    {
        EmitNodes();
        foreach (string line in summary)
        {
            writer.Line(line);
        }

        writer.Line(CSharp.StepsGeneratedCode);
        writer.Line(CSharp.StepsHotPath);
        writer.Open($"public static void {method}(ReadOnlySpan<{_t}> {parameters}, ReadOnlySpan<{_t}> input, ReadOnlySpan<{_t}> previous, Span<{_t}> frame)");
        _scope.DeclareUsed(writer, backward: false);
        writer.Lines(_body);
        writer.Close();
    }

    private readonly List<Node> _chain = new();

    /// <summary>The registers of the values the current fused loop has computed, by node.</summary>
    private readonly Dictionary<Node, string> _inRegisters = new();

    private void EmitNodes()
    {
        foreach (var node in _graph.Materialized)
        {
            if (!FusedLoop.CanFuse(node, _graph.Model.FastActivations))
            {
                FlushChain();
                _calls.Statement(node);
                continue;
            }

            var products = Products(node).ToList();
            if (products.Count > 0)
            {
                FlushChain();
                _body.Line();
                var sum = SumOfProducts(node);
                if (sum is not null && _calls.OneCallSum(sum) is { } kernel)
                {
                    if (sum == node)
                    {
                        _calls.Statement(node); // the whole statement is the kernel's sum
                        continue;
                    }

                    _body.Line("// " + MathText.Equation(node, _graph) + ": the sum first, in one kernel, the rest in the loop below");
                    _calls.WriteOneCallSum(sum, kernel, _scope.Value(node));
                    _summedByKernel.Add(sum);
                }
                else
                {
                    _body.Line("// " + MathText.Equation(node, _graph) + ": the products first, the rest in the loop below");
                    for (int i = 0; i < products.Count; i++)
                    {
                        _calls.Product(products[i], _scope.Value(node), accumulate: i > 0);
                    }
                }
            }

            if (_chain.Count > 0 && _chain[0].Length != node.Length)
            {
                FlushChain();
            }

            _chain.Add(node);
        }

        FlushChain();
    }

    /// <summary>The products with a weight matrix computed straight into a node's storage (fused terms of its sum).</summary>
    private static IEnumerable<Node> Products(Node node) => node.Kind switch
    {
        NodeKind.MatVec => new[] { node },
        NodeKind.Sum => node.Children.Where(c => c.IsFused).SelectMany(Products),
        NodeKind.Affine or NodeKind.Function when node.Children[0].IsFused => Products(node.Children[0]),
        _ => Enumerable.Empty<Node>(),
    };

    /// <summary>The sums whose every term one <c>MatrixVector.MultiplySum</c> call has computed into the storage of their statement.</summary>
    private readonly HashSet<Node> _summedByKernel = new();

    /// <summary>The sum of products a statement starts from: the statement itself, or the operand of its map.</summary>
    internal static Node? SumOfProducts(Node node) => node.Kind switch
    {
        NodeKind.Sum => node,
        NodeKind.Affine or NodeKind.Function when node.Children[0].IsFused && node.Children[0].Kind == NodeKind.Sum => node.Children[0],
        _ => null,
    };

    /// <summary>Writes the pending run of element-wise statements as one fused loop, headed by their equations.</summary>
    private void FlushChain()
    {
        if (_chain.Count == 0)
        {
            return;
        }

        _body.Line();
        foreach (var node in _chain)
        {
            _body.Line("// " + MathText.Equation(node, _graph));
        }

        bool fast = _graph.Model.FastActivations && _chain.Any(n => Functions(n).Any(f => f.FastRegister is not null));
        _body.Line($"// one fused loop over {_chain[0].Length} elements, the values in registers{(fast ? "; rational approximations (FastActivations)" : "")}");
        var inChain = _inference ? ChainWithFusedOperands() : null;
        var stored = _chain.Where(n => inChain is null || OutlivesChain(n, inChain)).ToList();
        if (stored.Count < _chain.Count)
        {
            _body.Line("// stored: " + string.Join(", ", stored.Select(n => n.Local)) + "; the rest only in registers (nothing reads the frame of an inference step)");
        }

        FusedLoop.Write(_body, _chain[0].Length, _graph.Model.Precision, (width, chunk) =>
        {
            _inRegisters.Clear();
            foreach (var node in _chain)
            {
                string register = GeneratedNames.Register(node.Local!);
                chunk.Line($"var {register} = {Element(node, node, width, top: true)};");
                if (stored.Contains(node))
                {
                    chunk.Line(width.Store(register, _scope.Value(node), GeneratedNames.FusedIndex));
                }

                _inRegisters[node] = register;
            }
        });
        _chain.Clear();
    }

    /// <summary>
    /// Whether a value of the current chain is read after it: a new state, an output, or a value some statement outside
    /// the chain (<paramref name="inChain"/>) reads. The inference step stores only these; the training step stores every
    /// value for Backward.
    /// </summary>
    private bool OutlivesChain(Node node, HashSet<Node> inChain) =>
        _graph.Recurrent.Concat(_graph.Outputs).Any(v => _graph.ValueOf(v.Name) == node)
        || node.Consumers.Any(c => !inChain.Contains(c));

    /// <summary>The statements of the current chain with the operands computed inside them.</summary>
    private HashSet<Node> ChainWithFusedOperands()
    {
        var inChain = new HashSet<Node>();
        foreach (var statement in _chain)
        {
            AddWithFusedOperands(statement, inChain);
        }

        return inChain;
    }

    /// <summary>A statement and the operands computed inside it (fused, or slices of it), which read within its loop.</summary>
    private static void AddWithFusedOperands(Node node, HashSet<Node> nodes)
    {
        if (!nodes.Add(node))
        {
            return;
        }

        foreach (var child in node.Children.Where(c => c.IsFused || (c.Kind == NodeKind.Slice && c.Local is null)))
        {
            AddWithFusedOperands(child, nodes);
        }
    }

    private static IEnumerable<Primitive> Functions(Node node) =>
        (node.Kind == NodeKind.Function ? new[] { node.Primitive! } : Enumerable.Empty<Primitive>())
        .Concat(node.Children.Where(c => c.IsFused).SelectMany(Functions));

    /// <summary>
    /// The chunk of <paramref name="node"/>'s value at the loop's offset, as an expression: a register computed earlier
    /// in the loop, a load, or the node's own arithmetic. <paramref name="owner"/> is the statement being computed, whose
    /// storage already holds its products.
    /// </summary>
    private string Element(Node node, Node owner, RegisterWidth width, bool top = false)
    {
        if (_inRegisters.TryGetValue(node, out var register))
        {
            return register;
        }

        if (node != owner && !node.IsFused)
        {
            return Load(node, 0, width);
        }

        string text;
        switch (node.Kind)
        {
            case NodeKind.MatVec:
                return width.Load(_t, _scope.Value(owner), GeneratedNames.FusedIndex);

            case NodeKind.Multiply:
                text = Element(node.Children[0], owner, width) + " * " + Element(node.Children[1], owner, width);
                break;

            case NodeKind.Divide:
                text = Element(node.Children[0], owner, width) + " / " + Element(node.Children[1], owner, width);
                break;

            case NodeKind.Sum when _summedByKernel.Contains(node):
                return width.Load(_t, _scope.Value(owner), GeneratedNames.FusedIndex);

            case NodeKind.Sum:
                // As the kernel calls: the products (already in the owner's storage), then the other terms in order.
                var terms = node.Children.Where(c => !(c.IsFused && c.Kind == NodeKind.MatVec)).OrderBy(c => c.IsFused ? 0 : 1).Select(c => Element(c, owner, width));
                text = string.Join(" + ", (Products(node).Any() ? new[] { width.Load(_t, _scope.Value(owner), GeneratedNames.FusedIndex) } : Enumerable.Empty<string>()).Concat(terms));
                break;

            case NodeKind.Affine:
                text = AffineElement(node, Element(node.Children[0], owner, width), width);
                break;

            case NodeKind.Function:
                string operand = Element(node.Children[0], owner, width, top: true);
                var primitive = node.Primitive!;
                string? template = _graph.Model.FastActivations && primitive.FastRegister is { } fast ? fast : primitive.Register;
                return template is null ? operand : KernelCall.Forward(template, _t, operand, "");

            default: // Copy
                return Element(node.Children[0], owner, width);
        }

        return top ? text : "(" + text + ")";
    }

    /// <summary>A load of a stored value (or of a range of one, through slices) at the loop's offset.</summary>
    private string Load(Node node, int offset, RegisterWidth width)
    {
        if (node.Kind == NodeKind.Slice && node.Local is null)
        {
            return Load(node.Children[0], offset + node.SliceStart, width);
        }

        string index = offset == 0 ? GeneratedNames.FusedIndex : offset + " + " + GeneratedNames.FusedIndex;
        return width.Load(_t, _scope.Value(node), index);
    }

    private string AffineElement(Node node, string operand, RegisterWidth width)
    {
        var precision = _graph.Model.Precision;
        string scale = CSharp.Literal(node.Scale, precision), offset = CSharp.Literal(node.Offset, precision);
        return (node.Scale, node.Offset) switch
        {
            (1, 0) => operand,
            (-1, 0) => "-" + operand,
            (-1, _) => width.Constant(offset) + " - " + operand,
            (1, _) => operand + " + " + width.Constant(offset),
            (_, 0) => operand + " * " + scale,
            _ => operand + " * " + scale + " + " + width.Constant(offset),
        };
    }
}
