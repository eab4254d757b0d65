using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes <c>ForwardStep</c>: one time step, computing every stored value of the frame from the input x_t
/// and the previous state s_{t-1}. Products with a weight matrix call the mat-vec kernels (a sum of one or two products
/// and up to two stored vectors, as the gates of an LSTM, is one <c>MatrixVector.MultiplySum</c> call); each run of element-wise
/// statements of one length (bias adds, activations, the cell update) is one fused loop with its values in registers
/// (<see cref="FusedLoop"/>), storing each value in the frame once. Above <see cref="FusedLoop.MaxLength"/> elements,
/// where a kernel call amortises, each statement calls its kernel instead, in place.
/// </summary>
internal sealed class ForwardEmitter
{
    private readonly CellGraph _graph;
    private readonly StepScope _scope;
    private readonly SourceWriter _body = new();
    private readonly string _t;

    private ForwardEmitter(CellGraph graph)
    {
        _graph = graph;
        _t = CSharp.Keyword(graph.Model.Precision);
        _scope = new StepScope(graph);
    }

    public static void Emit(SourceWriter writer, CellGraph graph)
    {
        var emitter = new ForwardEmitter(graph);
        emitter.EmitNodes();

        string t = emitter._t;
        writer.Line("/// <summary>One step forward: fills <paramref name=\"frame\"/> from x_t (<paramref name=\"input\"/>) and s_{t-1} (<paramref name=\"previous\"/>).</summary>");
        writer.Line(CSharp.StepsGeneratedCode);
        writer.Line(CSharp.StepsHotPath);
        writer.Open($"public static void ForwardStep(ReadOnlySpan<{t}> parameters, ReadOnlySpan<{t}> input, ReadOnlySpan<{t}> previous, Span<{t}> frame)");
        emitter._scope.DeclareUsed(writer, backward: false);
        writer.Lines(emitter._body);
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
                EmitNode(node);
                continue;
            }

            var products = Products(node).ToList();
            if (products.Count > 0)
            {
                FlushChain();
                _body.Line();
                var sum = SumOfProducts(node);
                if (sum is not null && KernelSum(sum) is { } kernel)
                {
                    if (sum == node)
                    {
                        EmitNode(node); // the whole statement is the kernel's sum
                        continue;
                    }

                    _body.Line("// " + MathText.Equation(node, _graph) + ": the sum first, in one kernel, the rest in the loop below");
                    WriteKernelSum(kernel, _scope.Value(node));
                    _summedByKernel.Add(sum);
                }
                else
                {
                    _body.Line("// " + MathText.Equation(node, _graph) + ": the products first, the rest in the loop below");
                    for (int i = 0; i < products.Count; i++)
                    {
                        MatVec(products[i], _scope.Value(node), accumulate: i > 0);
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
    private static Node? SumOfProducts(Node node) => node.Kind switch
    {
        NodeKind.Sum => node,
        NodeKind.Affine or NodeKind.Function when node.Children[0].IsFused && node.Children[0].Kind == NodeKind.Sum => node.Children[0],
        _ => null,
    };

    /// <summary>
    /// The terms of <paramref name="sum"/> when one <c>MatrixVector.MultiplySum</c> call computes all of it: one or two
    /// products with a weight matrix and at most two stored vectors; null otherwise.
    /// </summary>
    private static (List<Node> Products, List<Node> Addends)? KernelSum(Node sum)
    {
        var products = sum.Children.Where(c => c.IsFused && c.Kind == NodeKind.MatVec).ToList();
        var addends = sum.Children.Where(c => !c.IsFused).ToList();
        return products.Count + addends.Count == sum.Children.Count && addends.Count <= 2 && (products.Count == 2 || (products.Count == 1 && addends.Count > 0))
            ? (products, addends)
            : null;
    }

    /// <summary>destination = W1 v1 [+ W2 v2] [+ a1] [+ a2], by one kernel call.</summary>
    private void WriteKernelSum((List<Node> Products, List<Node> Addends) sum, string destination)
    {
        string Product(int i) => i < sum.Products.Count
            ? $"{_scope.Parameter(sum.Products[i].Matrix!.Name)}, {(i == 0 ? sum.Products[i].Matrix!.Rows + ", " : "")}{sum.Products[i].Matrix!.Columns}, {_scope.Value(sum.Products[i].Children[0])}"
            : "default, 0, default";
        string Addend(int i) => i < sum.Addends.Count ? _scope.Value(sum.Addends[i]) : "default";
        Line(sum.Products.Count == 1 && sum.Addends.Count == 1
            ? $"MatrixVector.MultiplySum<{_t}>({Product(0)}, {Addend(0)}, {destination});"
            : $"MatrixVector.MultiplySum<{_t}>({Product(0)}, {Product(1)}, {Addend(0)}, {Addend(1)}, {destination});");
    }

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
        FusedLoop.Write(_body, _chain[0].Length, _graph.Model.Precision, (width, chunk) =>
        {
            _inRegisters.Clear();
            foreach (var node in _chain)
            {
                string register = GeneratedNames.Register(node.Local!);
                string span = _scope.Value(node);
                chunk.Line($"var {register} = {Element(node, node, width, top: true)};");
                chunk.Line(width.Store(register, span, GeneratedNames.FusedIndex));
                _inRegisters[node] = register;
            }
        });
        _chain.Clear();
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

    private void EmitNode(Node node)
    {
        _body.Line();
        _body.Line("// " + MathText.Equation(node, _graph));
        Compute(node, _scope.Value(node));
    }

    /// <summary>Writes the code that stores the value of <paramref name="node"/> into <paramref name="destination"/>.</summary>
    private void Compute(Node node, string destination)
    {
        switch (node.Kind)
        {
            case NodeKind.MatVec:
                MatVec(node, destination, accumulate: false);
                break;

            case NodeKind.Multiply:
                Line($"TensorPrimitives.Multiply<{_t}>({_scope.Value(node.Children[0])}, {_scope.Value(node.Children[1])}, {destination});");
                break;

            case NodeKind.Sum:
                ComputeSum(node, destination);
                break;

            case NodeKind.Affine:
                ComputeAffine(node, Operand(node, destination), destination);
                break;

            case NodeKind.Function:
                ComputeFunction(node.Primitive!, Operand(node, destination), destination);
                break;

            case NodeKind.Copy:
                Line($"{_scope.Value(node.Children[0])}.CopyTo({destination});");
                break;
        }
    }

    /// <summary>The operand of an element-wise map: computed into the destination when fused, else its own span.</summary>
    private string Operand(Node node, string destination)
    {
        var child = node.Children[0];
        if (child.IsFused)
        {
            Compute(child, destination);
            return destination;
        }

        return _scope.Value(child);
    }

    private void ComputeSum(Node sum, string destination)
    {
        if (KernelSum(sum) is { } kernel)
        {
            WriteKernelSum(kernel, destination);
            return;
        }

        // A fused product goes first: it initialises the destination without a copy.
        var terms = sum.Children.OrderBy(c => c.IsFused ? 0 : 1).ToList();
        int next = 0;
        if (!terms[0].IsFused && terms.Count > 1)
        {
            Line($"TensorPrimitives.Add<{_t}>({_scope.Value(terms[0])}, {_scope.Value(terms[1])}, {destination});");
            next = 2;
        }

        for (int i = next; i < terms.Count; i++)
        {
            var term = terms[i];
            bool first = i == 0;
            if (term.IsFused && term.Kind == NodeKind.MatVec)
            {
                MatVec(term, destination, accumulate: !first);
            }
            else if (term.IsFused)
            {
                string a = _scope.Value(term.Children[0]), b = _scope.Value(term.Children[1]);
                Line(first
                    ? $"TensorPrimitives.Multiply<{_t}>({a}, {b}, {destination});"
                    : $"TensorPrimitives.MultiplyAdd<{_t}>({a}, {b}, {destination}, {destination});");
            }
            else
            {
                Line(first ? $"{_scope.Value(term)}.CopyTo({destination});" : $"TensorPrimitives.Add<{_t}>({destination}, {_scope.Value(term)}, {destination});");
            }
        }
    }

    private void MatVec(Node node, string destination, bool accumulate)
    {
        var matrix = node.Matrix!;
        Line($"MatrixVector.{(accumulate ? "MultiplyAdd" : "Multiply")}<{_t}>({_scope.Parameter(matrix.Name)}, {matrix.Rows}, {matrix.Columns}, {_scope.Value(node.Children[0])}, {destination});");
    }

    private void ComputeAffine(Node node, string operand, string destination)
    {
        var precision = _graph.Model.Precision;
        string scale = CSharp.Literal(node.Scale, precision), offset = CSharp.Literal(node.Offset, precision);
        switch (node.Scale, node.Offset)
        {
            case (1, 0):
                if (operand != destination)
                {
                    Line($"{operand}.CopyTo({destination});");
                }

                break;
            case (-1, 0):
                Line($"TensorPrimitives.Negate<{_t}>({operand}, {destination});");
                break;
            case (-1, _):
                Line($"TensorPrimitives.Subtract<{_t}>({offset}, {operand}, {destination});");
                break;
            case (1, _):
                Line($"TensorPrimitives.Add<{_t}>({operand}, {offset}, {destination});");
                break;
            case (_, 0):
                Line($"TensorPrimitives.Multiply<{_t}>({operand}, {scale}, {destination});");
                break;
            default:
                Line($"TensorPrimitives.Multiply<{_t}>({operand}, {scale}, {destination});");
                Line($"TensorPrimitives.Add<{_t}>({destination}, {offset}, {destination});");
                break;
        }
    }

    /// <summary>y = f(x) by the primitive's kernel (its fast form under FastActivations); the identity only copies.</summary>
    private void ComputeFunction(Primitive primitive, string operand, string destination)
    {
        if (_graph.Model.FastActivations && primitive.FastForward is { } fast)
        {
            Line(KernelCall.Forward(fast, _t, operand, destination) + "; // rational approximation (FastActivations)");
        }
        else if (primitive.Forward is { } forward)
        {
            Line(KernelCall.Forward(forward, _t, operand, destination) + ";");
        }
        else if (operand != destination)
        {
            Line($"{operand}.CopyTo({destination});");
        }
    }

    private void Line(string line) => _body.Line(line);
}
