using System;
using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Graph;

/// <summary>
/// The DAG of one time step, built from the statements, with the storage plan: which nodes are fused into
/// their consumer and where every stored value (and its adjoint) lives in the step's frame.
/// </summary>
/// <remarks>
/// Frame layout: recurrent vectors first, in declaration order (so the first <see cref="StateSize"/>
/// elements of a frame are the new state s_t), then the other outputs, then every other stored value.
/// The adjoint frame of a step has the same layout.
/// </remarks>
internal sealed class CellGraph
{
    private readonly Dictionary<(NodeKind Kind, string Name), Node> _leaves = new();
    private readonly Dictionary<string, Node> _named = new();
    private readonly List<Node> _slices = new();

    private CellGraph(CellModel model)
    {
        Model = model;
        foreach (var statement in model.Statements)
        {
            AddStatement(statement);
        }

        foreach (var node in Nodes.Concat(_slices))
        {
            foreach (var child in node.Children)
            {
                child.Consumers.Add(node);
            }
        }

        PlanFusion();
        LayOutFrame();
        NameLocals();
    }

    public CellModel Model { get; }

    /// <summary>Every non-leaf node, in forward (topological) order.</summary>
    public List<Node> Nodes { get; } = new();

    public IEnumerable<Node> Leaves => _leaves.Values;

    public IEnumerable<Node> Materialized => Nodes.Where(n => n.IsMaterialized);

    public IReadOnlyList<VectorDeclaration> Inputs => Model.Vectors.Where(v => v.Role == VectorRole.Input).ToList();

    public IReadOnlyList<VectorDeclaration> Recurrent => Model.Vectors.Where(v => v.IsRecurrent).ToList();

    public IReadOnlyList<VectorDeclaration> Outputs => Model.Vectors.Where(v => v.Role == VectorRole.Output).ToList();

    public int InputSize => Inputs.Sum(v => v.Length);

    public int StateSize => Recurrent.Sum(v => v.Length);

    public int OutputSize => Outputs.Sum(v => v.Length);

    public int FrameSize { get; private set; }

    /// <summary>
    /// Where the first frame starts in the tape: s_{-1} fills the state part of a frame -1 before it, so s_{t-1}
    /// is at t × FrameSize for every t, and a value's copies over the window are evenly strided.
    /// </summary>
    public int TapeStart => FrameSize;

    public int ParameterCount => Model.Parameters.Sum(p => p.Length);

    public static CellGraph Build(CellModel model) => new(model);

    /// <summary>The node holding the value a statement assigned to <paramref name="name"/>.</summary>
    public Node ValueOf(string name) => _named[name];

    public Node? PreviousOf(string name) => _leaves.TryGetValue((NodeKind.Previous, name), out var node) ? node : null;

    public int StateOffset(string name) => OffsetAmong(Recurrent, name);

    public int InputOffset(string name) => OffsetAmong(Inputs, name);

    public int OutputOffset(string name) => OffsetAmong(Outputs, name);

    public int ParameterOffset(string name)
    {
        int offset = 0;
        foreach (var parameter in Model.Parameters)
        {
            if (parameter.Name == name)
            {
                return offset;
            }

            offset += parameter.Length;
        }

        throw new ArgumentException("Unknown parameter " + name);
    }

    /// <summary>Whether a vector parameter is the gain of a layer norm: initialised to one, so that the norm starts as x̂ + bias.</summary>
    public bool IsLayerNormGain(ParameterDeclaration parameter) =>
        Nodes.Any(n => n.Kind == NodeKind.LayerNorm && n.Children[1].LeafName == parameter.Name);

    /// <summary>
    /// A matrix that only ever multiplies previous states (as W h or Wᵀ h) is recurrent (W_hh); any other matrix is an input
    /// or output weight; vectors are biases or gains. The role decides the initialisation.
    /// </summary>
    public ParameterRole RoleOf(ParameterDeclaration parameter)
    {
        if (!parameter.IsMatrix)
        {
            return ParameterRole.Vector;
        }

        var products = Nodes.Where(n => n.Kind is NodeKind.MatVec or NodeKind.TransposedMatVec && n.Matrix == parameter).ToList();
        bool recurrent = products.Count > 0 && products.All(p => IsPrevious(p.Children[0]));
        return recurrent ? ParameterRole.RecurrentWeight : ParameterRole.InputWeight;
    }

    private static bool IsPrevious(Node node) =>
        node.Kind == NodeKind.Previous || (node.Kind == NodeKind.Slice && node.Children[0].Kind == NodeKind.Previous);

    private static int OffsetAmong(IEnumerable<VectorDeclaration> vectors, string name) =>
        vectors.TakeWhile(v => v.Name != name).Sum(v => v.Length);

    private void AddStatement(Statement statement)
    {
        var node = Build(statement.Value);
        bool isFresh = !node.IsLeaf && node.Kind != NodeKind.Slice && node.Statement is null;
        if (statement.Target != StatementTarget.Local && !isFresh)
        {
            // A state or output needs a stored value of its own: copy an existing value into it.
            node = Add(new Node(NodeKind.Copy, node.Length, statement.Value.Text, node));
        }

        // A local that merely renames an input, a parameter or another value stays an alias.
        if (node.Statement is null && !node.IsLeaf)
        {
            node.Statement = statement;
        }

        _named[statement.Name] = node;
    }

    private Node Build(Expr expr)
    {
        switch (expr)
        {
            case InputRef input:
                return Leaf(NodeKind.Input, input.Name, input);
            case PreviousRef previous:
                return Leaf(NodeKind.Previous, previous.Name, previous);
            case ParameterRef parameter:
                return Leaf(NodeKind.ParameterVector, parameter.Name, parameter);
            case ValueRef value:
                return _named[value.Name];
            case MatVecExpr matVec:
                var matrix = Model.Parameters.First(p => p.Name == matVec.Matrix);
                return Add(new Node(NodeKind.MatVec, matVec.Length, matVec.Text, Build(matVec.Vector)) { Matrix = matrix, LeafName = matrix.Name, Source = matVec });
            case TransposedMatVecExpr transposed:
                var transposedMatrix = Model.Parameters.First(p => p.Name == transposed.Matrix);
                return Add(new Node(NodeKind.TransposedMatVec, transposed.Length, transposed.Text, Build(transposed.Vector))
                    { Matrix = transposedMatrix, LeafName = transposedMatrix.Name, Source = transposed });
            case ElementwiseExpr { Op: ElementwiseOp.Multiply } product:
                return Add(new Node(NodeKind.Multiply, product.Length, product.Text, Build(product.Left), Build(product.Right)) { Source = product });
            case ElementwiseExpr { Op: ElementwiseOp.Divide } quotient:
                return Add(new Node(NodeKind.Divide, quotient.Length, quotient.Text, Build(quotient.Left), Build(quotient.Right)) { Source = quotient });
            case ElementwiseExpr { Op: ElementwiseOp.Maximum or ElementwiseOp.Minimum } extremum:
                var kind = extremum.Op == ElementwiseOp.Maximum ? NodeKind.Maximum : NodeKind.Minimum;
                return Add(new Node(kind, extremum.Length, extremum.Text, Build(extremum.Left), Build(extremum.Right)) { Source = extremum });
            case ElementwiseExpr sum:
                var terms = new List<Node>();
                CollectTerms(sum, terms);
                return Add(new Node(NodeKind.Sum, sum.Length, sum.Text, terms.ToArray()) { Source = sum });
            case BroadcastExpr broadcast:
                return Add(new Node(NodeKind.Broadcast, broadcast.Length, broadcast.Text, Build(broadcast.Scalar)) { Source = broadcast });
            case AffineExpr affine:
                return Add(new Node(NodeKind.Affine, affine.Length, affine.Text, Build(affine.Operand)) { Scale = affine.Scale, Offset = affine.Offset, Source = affine });
            case CallExpr call:
                return Add(new Node(NodeKind.Function, call.Length, call.Text, Build(call.Argument)) { Primitive = call.Primitive, Source = call });
            case ConcatExpr concat:
                return Add(new Node(NodeKind.Concat, concat.Length, concat.Text, concat.Parts.Select(Build).ToArray()) { Source = concat });
            case LayerNormExpr norm:
                return Add(new Node(NodeKind.LayerNorm, norm.Length, norm.Text, Build(norm.Operand), VectorParameter(norm.Gain), VectorParameter(norm.Bias))
                    { Epsilon = norm.Epsilon, Source = norm });
            case SliceExpr slice:
                var source = Build(slice.Source);
                var sliceNode = source.Kind == NodeKind.Slice
                    ? new Node(NodeKind.Slice, slice.Length, slice.Text, source.Children[0]) { SliceStart = source.SliceStart + slice.Start, Source = slice }
                    : new Node(NodeKind.Slice, slice.Length, slice.Text, source) { SliceStart = slice.Start, Source = slice };
                _slices.Add(sliceNode);
                return sliceNode;
            default:
                throw new ArgumentException("Unknown expression " + expr.GetType().Name);
        }
    }

    /// <summary>Flattens a + b - c into the terms [a, b, -c]; a subtracted term is negated by an affine node.</summary>
    private void CollectTerms(Expr expr, List<Node> terms)
    {
        if (expr is ElementwiseExpr { Op: ElementwiseOp.Add or ElementwiseOp.Subtract } sum)
        {
            CollectTerms(sum.Left, terms);
            if (sum.Op == ElementwiseOp.Add)
            {
                CollectTerms(sum.Right, terms);
            }
            else
            {
                var negated = Build(sum.Right);
                terms.Add(Add(new Node(NodeKind.Affine, negated.Length, "-(" + sum.Right.Text + ")", negated)
                    { Scale = -1, Source = new AffineExpr(sum.Right, -1, 0, "-(" + sum.Right.Text + ")") }));
            }

            return;
        }

        terms.Add(Build(expr));
    }

    /// <summary>The leaf of a vector parameter named outside an expression of its own (a layer norm's gain or bias).</summary>
    private Node VectorParameter(string name)
    {
        var parameter = Model.Parameters.First(p => p.Name == name);
        return Leaf(NodeKind.ParameterVector, name, new ParameterRef(name, parameter.Length, name));
    }

    private Node Leaf(NodeKind kind, string name, Expr expr)
    {
        if (!_leaves.TryGetValue((kind, name), out var leaf))
        {
            leaf = new Node(kind, expr.Length, name) { LeafName = name };
            _leaves[(kind, name)] = leaf;
        }

        return leaf;
    }

    private Node Add(Node node)
    {
        Nodes.Add(node);
        return node;
    }

    /// <summary>
    /// A node is fused, computed straight into its consumer's buffer, when nothing else needs its value:
    /// it is anonymous, read once, and either a product accumulated into a sum (W*x + U*h + b), or the
    /// argument of an in-place element-wise map whose derivative needs only the map's output (tanh(...)).
    /// A function's output is never overwritten in place, as its own derivative needs it; nor is the argument of a
    /// function whose derivative reads it (sin(...)), which is stored.
    /// </summary>
    private void PlanFusion()
    {
        foreach (var node in Nodes)
        {
            if (node.Statement is not null || node.Consumers.Count != 1)
            {
                continue;
            }

            var consumer = node.Consumers[0];
            node.IsFused = consumer.Kind switch
            {
                NodeKind.Sum => node.Kind is NodeKind.MatVec or NodeKind.Multiply,
                NodeKind.Function when consumer.Primitive!.Derivative is { ReadsArgument: true } => false,
                NodeKind.Function or NodeKind.Affine => node.Kind is NodeKind.Sum or NodeKind.MatVec or NodeKind.Multiply or NodeKind.Affine,
                _ => false,
            };
        }
    }

    private void LayOutFrame()
    {
        // (Without equations, as for a cell whose equations have errors, the slots are laid out all the same.)
        int offset = 0;
        foreach (var vector in Recurrent)
        {
            if (_named.TryGetValue(vector.Name, out var state))
            {
                state.FrameOffset = offset;
            }

            offset += vector.Length;
        }

        foreach (var output in Outputs.Where(o => !o.IsRecurrent))
        {
            if (_named.TryGetValue(output.Name, out var value))
            {
                value.FrameOffset = offset;
            }

            offset += output.Length;
        }

        // The other values start on 64-byte boundaries, and so do frames: vector loads then never split a line.
        offset = AlignUp(offset);
        foreach (var node in Materialized.Where(n => n.FrameOffset < 0))
        {
            node.FrameOffset = offset;
            offset = AlignUp(offset + node.Length);
        }

        // The statistics of each layer norm (x̂, then 1/σ), kept for its backward.
        foreach (var norm in Nodes.Where(n => n.Kind == NodeKind.LayerNorm))
        {
            norm.StatisticsOffset = offset;
            offset = AlignUp(offset + norm.Length + 1);
        }

        // Then the slots that hold only an adjoint: Forward never writes them.
        foreach (var node in Nodes.Where(NeedsAdjointOnly))
        {
            node.FrameOffset = offset;
            offset = AlignUp(offset + node.Length);
        }

        FrameSize = Math.Max(offset, 1);
    }

    /// <summary>
    /// A fused operand of a map needs an adjoint of its own unless the map passes the adjoint through unchanged
    /// (identity, or an affine map with scale 1): d(tanh(u))/du rescales it, so dL/du is not dL/dy.
    /// </summary>
    private static bool NeedsAdjointOnly(Node node) =>
        node.IsFused && node.Consumers[0] is var consumer &&
        ((consumer.Kind == NodeKind.Function && consumer.Primitive!.Derivative is not null) || (consumer.Kind == NodeKind.Affine && consumer.Scale != 1));

    /// <summary>Rounds an element offset up to a 64-byte boundary (16 floats, 8 doubles).</summary>
    private int AlignUp(int offset)
    {
        int unit = Model.Precision == Precision.Double ? 8 : 16;
        return (offset + unit - 1) / unit * unit;
    }

    /// <summary>
    /// Gives every stored value, every named slice and every adjoint-only slot the name of its C# local at step t
    /// (an adjoint-only slot's name is that of the argument it differentiates, <c>pre_h_t</c>; its local is <c>d_pre_h_t</c>).
    /// </summary>
    private void NameLocals()
    {
        var taken = new HashSet<string>(Model.Vectors.Select(v => GeneratedNames.Previous(v.Name)).Concat(Model.Parameters.Select(p => p.Name)));
        foreach (var leaf in _leaves.Values)
        {
            leaf.Local = leaf.Kind switch
            {
                NodeKind.Input => GeneratedNames.AtStep(leaf.LeafName!),
                NodeKind.Previous => GeneratedNames.Previous(leaf.LeafName!),
                _ => leaf.LeafName,
            };
            taken.Add(leaf.Local!);
        }

        foreach (var pair in _named.Where(p => p.Value.Local is null && (p.Value.IsMaterialized || p.Value.Kind == NodeKind.Slice)))
        {
            pair.Value.Local = GeneratedNames.Unique(GeneratedNames.AtStep(pair.Key), taken);
        }

        int anonymous = 0;
        foreach (var node in Materialized.Where(n => n.Local is null))
        {
            // A layer norm is named after what it normalises (layernorm_c_t), as a function after its argument.
            string candidate = (node.Children.Count == 1 || node.Kind == NodeKind.LayerNorm) && node.Children[0].Local is { } child && !GeneratedNames.IsTemporary(child)
                ? GeneratedNames.Result(Describe(node), child)
                : GeneratedNames.Temporary(anonymous++);
            node.Local = GeneratedNames.Unique(candidate, taken);
        }

        foreach (var norm in Nodes.Where(n => n.Kind == NodeKind.LayerNorm))
        {
            norm.StatisticsLocal = GeneratedNames.Unique("stats_" + norm.Local, taken);
        }

        // Consumers first, so that nested arguments read pre_pre_h_t rather than a name of nothing.
        foreach (var node in Enumerable.Reverse(Nodes).Where(n => n.HasAdjointOnly))
        {
            var consumer = node.Consumers[0];
            while (consumer.Local is null)
            {
                consumer = consumer.Consumers[0];
            }

            node.Local = GeneratedNames.Unique(GeneratedNames.Argument(consumer.Local), taken);
        }
    }

    /// <summary>The stem of an anonymous value's name: <c>tanh</c> for tanh(c), <c>one_minus</c> for 1 - z.</summary>
    private static string Describe(Node node) => node.Kind switch
    {
        NodeKind.Function => node.Primitive!.Name,
        NodeKind.TransposedMatVec => node.Matrix!.Name + "_T",
        NodeKind.Affine when node.Scale == -1 && node.Offset == 0 => "minus",
        NodeKind.Affine when node.Scale == -1 && node.Offset == 1 => "one_minus",
        NodeKind.Affine => "affine",
        _ => node.Kind.ToString().ToLowerInvariant(),
    };
}
