using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes forward statements as kernel calls, each over a whole value: every statement of the batched step, and the
/// statements of the single-stream step that no fused loop computes. The two differ only by their
/// <see cref="StepKernels"/>. The inference step computes its prepared sums over the snapshot's stacked weights
/// (<see cref="PreparedLayout"/>).
/// </summary>
internal sealed class ForwardKernelCalls : KernelCallWriter
{
    private readonly PreparedLayout? _prepared;

    public ForwardKernelCalls(CellGraph graph, StepScope scope, SourceWriter body, StepKernels kernels, PreparedLayout? prepared = null)
        : base(graph, scope, body, kernels)
    {
        _prepared = prepared;
    }

    /// <summary>A statement: its equation, then the calls that store its value.</summary>
    public void Statement(Node node)
    {
        Blank();
        Line("// " + MathText.Equation(node, Graph));
        Compute(node, Scope.Value(node));
    }

    /// <summary>destination = W v, or destination += W v when <paramref name="accumulate"/>.</summary>
    public void Product(Node product, string destination, bool accumulate)
    {
        var matrix = product.Matrix!;
        Line(Kernels.Product(T, matrix, Scope.Parameter(matrix.Name), Scope.Value(product.Children[0]), destination, accumulate) + ";");
    }

    /// <summary>The terms of <paramref name="sum"/> when one kernel call computes all of it (<see cref="StepKernels.SumsInOneCall"/>); null otherwise.</summary>
    public (List<Node> Products, List<Node> Addends)? OneCallSum(Node sum)
    {
        var products = sum.Children.Where(c => c.IsFused && c.Kind == NodeKind.MatVec).ToList();
        var addends = sum.Children.Where(c => !c.IsFused).ToList();
        return products.Count + addends.Count == sum.Children.Count && Kernels.SumsInOneCall(products.Count, addends.Count)
            ? (products, addends)
            : null;
    }

    /// <summary>destination = W1 v1 [+ W2 v2] [+ a1] [+ a2], by one kernel call: over the snapshot's stacked weights where <paramref name="node"/> is prepared.</summary>
    public void WriteOneCallSum(Node node, (List<Node> Products, List<Node> Addends) sum, string destination)
    {
        if (_prepared?.Find(node) is { } prepared)
        {
            WritePreparedSum(prepared, destination);
            return;
        }

        var products = sum.Products.Select(p => (p.Matrix!, Scope.Parameter(p.Matrix!.Name), Scope.Value(p.Children[0]))).ToArray();
        Line(Kernels.Sum(T, products, sum.Addends.Select(Scope.Value).ToArray(), destination) + ";");
    }

    /// <summary>destination = [W1 W2] [v1; v2] + bias over the snapshot's [W1 W2]ᵀ: each operand element broadcast into the destination's registers.</summary>
    private void WritePreparedSum(PreparedSum prepared, string destination)
    {
        var products = prepared.Weights.Products;
        var operands = products.Select(p => Scope.Value(p.Children[0])).ToList();
        string bias = prepared.Bias is not { } b ? "default" : b.IsDerived ? Scope.Prepared(b.Name) : Scope.Parameter(b.Name);
        string Names(string separator, System.Func<Node, string> name) => string.Join(separator, products.Select(name));
        string math = (products.Count == 1 ? Names("", p => p.Matrix!.Name + " " + Operand(p)) : $"[{Names(" ", p => p.Matrix!.Name)}] [{Names("; ", Operand)}]")
            + (prepared.Bias is { } withBias ? " + " + string.Join(" + ", withBias.Terms.Select(t => t.LeafName)) : "")
            + $", over {prepared.Weights.Name} = " + (products.Count == 1 ? products[0].Matrix!.Name : $"[{Names(" ", p => p.Matrix!.Name)}]") + "^T";
        static string Operand(Node product) => product.Children[0].Local ?? product.Children[0].Text;
        Line($"MatrixVector.MultiplyStacked<{T}>({Scope.Prepared(prepared.Weights.Name)}, {prepared.Weights.Rows}, {operands[0]}, "
            + $"{(operands.Count > 1 ? operands[1] : "default")}, {bias}, {destination}); // {math}");
    }

    /// <summary>Writes the calls that store the value of <paramref name="node"/> into <paramref name="destination"/>.</summary>
    private void Compute(Node node, string destination)
    {
        switch (node.Kind)
        {
            case NodeKind.MatVec:
                Product(node, destination, accumulate: false);
                break;

            case NodeKind.TransposedMatVec:
                var matrix = node.Matrix!;
                Line(Kernels.TransposedProduct(T, matrix, Scope.Parameter(matrix.Name), Scope.Value(node.Children[0]), destination, accumulate: false) + ";");
                break;

            case NodeKind.Multiply:
                Line($"TensorPrimitives.Multiply<{T}>({Scope.Value(node.Children[0])}, {Scope.Value(node.Children[1])}, {destination});");
                break;

            case NodeKind.Divide:
                Line($"TensorPrimitives.Divide<{T}>({Scope.Value(node.Children[0])}, {Scope.Value(node.Children[1])}, {destination});");
                break;

            case NodeKind.Broadcast:
                Line(Kernels.Broadcast(T, Scope.Value(node.Children[0]), destination) + ";");
                break;

            case NodeKind.Maximum or NodeKind.Minimum:
                Line($"TensorPrimitives.{(node.Kind == NodeKind.Maximum ? "Max" : "Min")}<{T}>({Scope.Value(node.Children[0])}, {Scope.Value(node.Children[1])}, {destination});");
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
                Line($"{Scope.Value(node.Children[0])}.CopyTo({destination});");
                break;

            case NodeKind.LayerNorm:
                Line($"LayerNorm.Forward<{T}>({Scope.Value(node.Children[0])}, {Scope.Value(node.Children[1])}, {Scope.Value(node.Children[2])}, "
                    + $"{CSharp.Literal(node.Epsilon, Graph.Model.Precision)}, {destination}, {Scope.Statistics(node)}, {Kernels.Scaled(1)}); // and {node.StatisticsLocal} = x̂, 1/σ");
                break;

            case NodeKind.Concat:
                int offset = 0;
                foreach (var part in node.Children)
                {
                    Line($"{Scope.Value(part)}.CopyTo({destination}.Slice({Kernels.Scaled(offset)}, {Kernels.Scaled(part.Length)}));");
                    offset += part.Length;
                }

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

        return Scope.Value(child);
    }

    private void ComputeSum(Node sum, string destination)
    {
        if (OneCallSum(sum) is { } kernel)
        {
            WriteOneCallSum(sum, kernel, destination);
            return;
        }

        // A fused product goes first: it initialises the destination without a copy.
        var terms = sum.Children.OrderBy(c => c.IsFused ? 0 : 1).ToList();
        int next = 0;
        if (!terms[0].IsFused && terms.Count > 1)
        {
            Line($"TensorPrimitives.Add<{T}>({Scope.Value(terms[0])}, {Scope.Value(terms[1])}, {destination});");
            next = 2;
        }

        for (int i = next; i < terms.Count; i++)
        {
            var term = terms[i];
            bool first = i == 0;
            if (term.IsFused && term.Kind == NodeKind.MatVec)
            {
                Product(term, destination, accumulate: !first);
            }
            else if (term.IsFused)
            {
                string a = Scope.Value(term.Children[0]), b = Scope.Value(term.Children[1]);
                Line(first
                    ? $"TensorPrimitives.Multiply<{T}>({a}, {b}, {destination});"
                    : $"TensorPrimitives.MultiplyAdd<{T}>({a}, {b}, {destination}, {destination});");
            }
            else
            {
                Line(first ? $"{Scope.Value(term)}.CopyTo({destination});" : $"TensorPrimitives.Add<{T}>({destination}, {Scope.Value(term)}, {destination});");
            }
        }
    }

    /// <summary>scale * operand + offset, in place in the destination.</summary>
    private void ComputeAffine(Node node, string operand, string destination)
    {
        var precision = Graph.Model.Precision;
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
                Line($"TensorPrimitives.Negate<{T}>({operand}, {destination});");
                break;
            case (-1, _):
                Line($"TensorPrimitives.Subtract<{T}>({offset}, {operand}, {destination});");
                break;
            case (1, _):
                Line($"TensorPrimitives.Add<{T}>({operand}, {offset}, {destination});");
                break;
            case (_, 0):
                Line($"TensorPrimitives.Multiply<{T}>({operand}, {scale}, {destination});");
                break;
            default:
                Line($"TensorPrimitives.Multiply<{T}>({operand}, {scale}, {destination});");
                Line($"TensorPrimitives.Add<{T}>({destination}, {offset}, {destination});");
                break;
        }
    }

    /// <summary>y = f(x) by the primitive's kernel (its fast form under FastActivations); the identity only copies.</summary>
    private void ComputeFunction(Primitive primitive, string operand, string destination)
    {
        if (Graph.Model.FastActivations && primitive.FastForward is { } fast)
        {
            Line(KernelCall.Forward(fast, T, operand, destination) + "; // rational approximation (FastActivations)");
        }
        else if (primitive.Forward is { } forward)
        {
            Line(KernelCall.Forward(forward, T, operand, destination) + ";");
        }
        else if (operand != destination)
        {
            Line($"{operand}.CopyTo({destination});");
        }
    }
}
