using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes <c>ForwardStep</c>: one time step, computing every stored value of the frame from the input x_t
/// and the previous state s_{t-1}. Sums accumulate their products in place; element-wise maps run in place.
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
        foreach (var node in graph.Materialized)
        {
            emitter.EmitNode(node);
        }

        string t = emitter._t;
        writer.Line("/// <summary>One step forward: fills <paramref name=\"frame\"/> from x_t (<paramref name=\"input\"/>) and s_{t-1} (<paramref name=\"previous\"/>).</summary>");
        writer.Line(CSharp.StepsGeneratedCode);
        writer.Line(CSharp.StepsHotPath);
        writer.Open($"public static void ForwardStep(ReadOnlySpan<{t}> parameters, ReadOnlySpan<{t}> input, ReadOnlySpan<{t}> previous, Span<{t}> frame)");
        emitter._scope.DeclareUsed(writer, backward: false);
        writer.Lines(emitter._body);
        writer.Close();
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
