using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;

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
        _t = CSharp.Keyword(graph.Model.ElementType);
        _scope = new StepScope(graph, _t);
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
        writer.Line(CSharp.GeneratedCode);
        writer.Line(CSharp.HotPath);
        writer.Open($"private void ForwardStep({CSharp.ReadOnlySpan}<{t}> input, {CSharp.ReadOnlySpan}<{t}> previous, {CSharp.Span}<{t}> frame)");
        emitter._scope.DeclareUsed(writer, backward: false);
        foreach (var line in emitter._body.ToString().TrimEnd('\n').Split('\n'))
        {
            writer.Line(line);
        }

        writer.Close();
    }

    private void EmitNode(Node node)
    {
        _body.Line();
        _body.Line("// " + Equation(node));
        Compute(node, _scope.Value(node));
    }

    /// <summary>The forward equation a node implements, with the step's local names.</summary>
    public static string Equation(Node node, CellGraph graph) => node.Statement is { } statement && graph.ValueOf(statement.Name) == node
        ? MathText.Statement(statement, graph)
        : node.Local + " = " + (node.Source is { } source ? MathText.Expression(source, graph) : node.Children[0].Local);

    private string Equation(Node node) => Equation(node, _graph);

    /// <summary>Writes the code that stores the value of <paramref name="node"/> into <paramref name="destination"/>.</summary>
    private void Compute(Node node, string destination)
    {
        string tp = CSharp.TensorPrimitives;
        switch (node.Kind)
        {
            case NodeKind.MatVec:
                MatVec(node, destination, accumulate: false);
                break;

            case NodeKind.Multiply:
                Line($"{tp}.Multiply<{_t}>({_scope.Value(node.Children[0])}, {_scope.Value(node.Children[1])}, {destination});");
                break;

            case NodeKind.Sum:
                ComputeSum(node, destination);
                break;

            case NodeKind.Affine:
                string operand = Operand(node, destination);
                ComputeAffine(node, operand, destination);
                break;

            case NodeKind.Function:
                ComputeFunction(node.Function, Operand(node, destination), destination);
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
        string tp = CSharp.TensorPrimitives;

        // A fused product goes first: it initialises the destination without a copy.
        var terms = sum.Children.OrderBy(c => c.IsFused ? 0 : 1).ToList();
        int next = 0;
        if (!terms[0].IsFused && terms.Count > 1)
        {
            Line($"{tp}.Add<{_t}>({_scope.Value(terms[0])}, {_scope.Value(terms[1])}, {destination});");
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
                    ? $"{tp}.Multiply<{_t}>({a}, {b}, {destination});"
                    : $"{tp}.MultiplyAdd<{_t}>({a}, {b}, {destination}, {destination});");
            }
            else
            {
                Line(first ? $"{_scope.Value(term)}.CopyTo({destination});" : $"{tp}.Add<{_t}>({destination}, {_scope.Value(term)}, {destination});");
            }
        }
    }

    private void MatVec(Node node, string destination, bool accumulate)
    {
        var matrix = node.Matrix!;
        Line($"{CSharp.MatrixVector}.{(accumulate ? "MultiplyAdd" : "Multiply")}<{_t}>({_scope.Parameter(matrix.Name)}, {matrix.Rows}, {matrix.Columns}, {_scope.Value(node.Children[0])}, {destination});");
    }

    private void ComputeAffine(Node node, string operand, string destination)
    {
        string tp = CSharp.TensorPrimitives;
        var type = _graph.Model.ElementType;
        string scale = CSharp.Literal(node.Scale, type), offset = CSharp.Literal(node.Offset, type);
        switch (node.Scale, node.Offset)
        {
            case (1, 0):
                if (operand != destination)
                {
                    Line($"{operand}.CopyTo({destination});");
                }

                break;
            case (-1, 0):
                Line($"{tp}.Negate<{_t}>({operand}, {destination});");
                break;
            case (-1, _):
                Line($"{tp}.Subtract<{_t}>({offset}, {operand}, {destination});");
                break;
            case (1, _):
                Line($"{tp}.Add<{_t}>({operand}, {offset}, {destination});");
                break;
            case (_, 0):
                Line($"{tp}.Multiply<{_t}>({operand}, {scale}, {destination});");
                break;
            default:
                Line($"{tp}.Multiply<{_t}>({operand}, {scale}, {destination});");
                Line($"{tp}.Add<{_t}>({destination}, {offset}, {destination});");
                break;
        }
    }

    private void ComputeFunction(Function function, string operand, string destination)
    {
        string tp = CSharp.TensorPrimitives;
        switch (function)
        {
            case Function.Tanh:
                Line(_graph.Model.FastActivations
                    ? $"{CSharp.Activations}.FastTanh<{_t}>({operand}, {destination}); // rational approximation (FastActivations)"
                    : $"{tp}.Tanh<{_t}>({operand}, {destination});");
                break;
            case Function.Sigmoid:
                Line(_graph.Model.FastActivations
                    ? $"{CSharp.Activations}.FastSigmoid<{_t}>({operand}, {destination}); // rational approximation (FastActivations)"
                    : $"{tp}.Sigmoid<{_t}>({operand}, {destination});");
                break;
            case Function.Exp:
                Line($"{tp}.Exp<{_t}>({operand}, {destination});");
                break;
            case Function.Relu:
                Line($"{CSharp.Activations}.Relu<{_t}>({operand}, {destination});");
                break;
            case Function.Softplus:
                Line($"{CSharp.Activations}.Softplus<{_t}>({operand}, {destination});");
                break;
            case Function.Identity:
                if (operand != destination)
                {
                    Line($"{operand}.CopyTo({destination});");
                }

                break;
        }
    }

    private void Line(string line) => _body.Line(line);
}
