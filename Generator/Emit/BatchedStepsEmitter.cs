using System.Linq;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the batched step class: ForwardStep and BackwardStep over B streams in lockstep, from the same graph and
/// the same <see cref="AdjointPlan"/> as the single-stream step. Every value is a feature-major block
/// (<see cref="BatchedLayout"/>), so each element-wise statement is one kernel call over length × B contiguous
/// elements, each product with a weight a small matrix-matrix product (<c>BatchedProducts</c>), and the comments are
/// the single-stream step's: the equations, and each adjoint statement's derivation.
/// </summary>
internal sealed class BatchedStepsEmitter
{
    private readonly CellGraph _graph;
    private readonly StepScope _scope;
    private readonly SourceWriter _body = new();
    private readonly string _t;

    private BatchedStepsEmitter(CellGraph graph)
    {
        _graph = graph;
        _t = CSharp.Keyword(graph.Model.Precision);
        _scope = new StepScope(graph, batched: true);
    }

    /// <summary>The batched step class as the cell's code names it.</summary>
    public static string QualifiedName(CellGraph graph) =>
        "global::" + GeneratedNames.StepsNamespace + "." + GeneratedNames.BatchedStepsClass(graph.Model.TypeName);

    public static void Emit(SourceWriter w, CellGraph graph, AdjointPlan plan)
    {
        string t = CSharp.Keyword(graph.Model.Precision);
        w.Open("namespace " + GeneratedNames.StepsNamespace);
        foreach (string import in CSharp.StepsUsings)
        {
            w.Line($"using {import};");
        }

        w.Line();
        w.Line($"/// <summary>One time step of <c>{CellEmitter.Escape(graph.Model.TypeName)}</c> over B streams at once, forward and backward; every value a feature-major block (element u of stream s at u x batch + s).</summary>");
        w.Line(CSharp.StepsGeneratedCode);
        w.Open($"file static class {GeneratedNames.BatchedStepsClass(graph.Model.TypeName)}");
        w.Line("/// <summary>Elements of one step's record per stream, as in the cell.</summary>");
        w.Line($"private const int FrameSize = {graph.FrameSize};");
        w.Line();

        var forward = new BatchedStepsEmitter(graph);
        forward.EmitForward();
        w.Line("/// <summary>One step forward over <paramref name=\"batch\"/> streams: fills <paramref name=\"frame\"/> from x_t (<paramref name=\"input\"/>) and s_{t-1} (<paramref name=\"previous\"/>).</summary>");
        w.Line(CSharp.StepsGeneratedCode);
        w.Line(CSharp.StepsHotPath);
        w.Open($"public static void ForwardStep(ReadOnlySpan<{t}> parameters, ReadOnlySpan<{t}> {BatchedLayout.Broadcast}, ReadOnlySpan<{t}> input, ReadOnlySpan<{t}> previous, Span<{t}> frame, int {BatchedLayout.Batch})");
        forward._scope.DeclareUsed(w, backward: false);
        w.Lines(forward._body);
        w.Close();
        w.Line();

        var backward = new BatchedStepsEmitter(graph);
        backward.EmitBackward(plan);
        w.Line("/// <summary>");
        w.Line("/// One step backward over <paramref name=\"batch\"/> streams, as the single-stream BackwardStep for each: the vector");
        w.Line("/// parameters' gradients go to <paramref name=\"vectorGradients\"/>, one block per stream, and the weight gradients");
        w.Line("/// that Backward sums over the window are left to it. Returns the sum over the streams of ||dL/ds_t||^2.");
        w.Line("/// </summary>");
        w.Line(CSharp.StepsGeneratedCode);
        w.Line(CSharp.StepsHotPath);
        w.Open($"public static {t} BackwardStep(ReadOnlySpan<{t}> parameters, ReadOnlySpan<{t}> {BatchedLayout.Broadcast}, Span<{t}> gradients, Span<{t}> {BatchedLayout.VectorGradients}, ReadOnlySpan<{t}> input, ReadOnlySpan<{t}> frames, ReadOnlySpan<{t}> outputGradient, Span<{t}> adjointFrames, int {BatchedLayout.Batch})");
        backward._scope.DeclareUsed(w, backward: true);
        w.Lines(backward._body);
        w.Close();

        w.Close();
        w.Close();
    }

    private void EmitForward()
    {
        foreach (var node in _graph.Materialized)
        {
            _body.Line();
            _body.Line("// " + MathText.Equation(node, _graph));
            Compute(node, _scope.Value(node));
        }
    }

    /// <summary>Writes the calls that store the value of <paramref name="node"/> into <paramref name="destination"/>.</summary>
    private void Compute(Node node, string destination)
    {
        switch (node.Kind)
        {
            case NodeKind.MatVec:
                Product(node, destination, accumulate: false);
                break;

            case NodeKind.Multiply:
                Line($"TensorPrimitives.Multiply<{_t}>({_scope.Value(node.Children[0])}, {_scope.Value(node.Children[1])}, {destination});");
                break;

            case NodeKind.Sum:
                // The products first (the first one writes the destination), then every other term in order.
                var terms = node.Children.OrderBy(c => c.IsFused ? 0 : 1).ToList();
                for (int i = 0; i < terms.Count; i++)
                {
                    AddTerm(terms[i], destination, first: i == 0);
                }

                break;

            case NodeKind.Affine:
                Affine(node, Operand(node, destination), destination);
                break;

            case NodeKind.Function:
                string operand = Operand(node, destination);
                var primitive = node.Primitive!;
                string? kernel = _graph.Model.FastActivations && primitive.FastForward is { } fast ? fast : primitive.Forward;
                if (kernel is not null)
                {
                    Line(KernelCall.Forward(kernel, _t, operand, destination) + ";");
                }
                else if (operand != destination)
                {
                    Line($"{operand}.CopyTo({destination});");
                }

                break;

            default: // Copy
                Line($"{_scope.Value(node.Children[0])}.CopyTo({destination});");
                break;
        }
    }

    private void AddTerm(Node term, string destination, bool first)
    {
        if (term.IsFused && term.Kind == NodeKind.MatVec)
        {
            Product(term, destination, accumulate: !first);
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

    /// <summary>The operand of an element-wise map: computed into the destination when fused, else its own block.</summary>
    private string Operand(Node node, string destination)
    {
        var child = node.Children[0];
        if (!child.IsFused)
        {
            return _scope.Value(child);
        }

        Compute(child, destination);
        return destination;
    }

    /// <summary>W (rows x columns) times the operand's block (columns x batch): one small matrix-matrix product.</summary>
    private void Product(Node node, string destination, bool accumulate)
    {
        var matrix = node.Matrix!;
        Line($"BatchedProducts.{(accumulate ? "MultiplyAdd" : "Multiply")}<{_t}>({_scope.Parameter(matrix.Name)}, {matrix.Rows}, {matrix.Columns}, {_scope.Value(node.Children[0])}, {BatchedLayout.Batch}, {destination});");
    }

    /// <summary>scale * operand + offset, in place in the destination.</summary>
    private void Affine(Node node, string operand, string destination)
    {
        var precision = _graph.Model.Precision;
        string scale = CSharp.Literal(node.Scale, precision), offset = CSharp.Literal(node.Offset, precision);
        string? call = (node.Scale, node.Offset) switch
        {
            (1, 0) => operand == destination ? null : $"{operand}.CopyTo({destination})",
            (-1, 0) => $"TensorPrimitives.Negate<{_t}>({operand}, {destination})",
            (-1, _) => $"TensorPrimitives.Subtract<{_t}>({offset}, {operand}, {destination})",
            (1, _) => $"TensorPrimitives.Add<{_t}>({operand}, {offset}, {destination})",
            (_, 0) => $"TensorPrimitives.Multiply<{_t}>({operand}, {scale}, {destination})",
            _ => $"TensorPrimitives.Multiply<{_t}>({operand}, {scale}, {destination}); TensorPrimitives.Add<{_t}>({destination}, {offset}, {destination})",
        };
        if (call is not null)
        {
            Line(call + ";");
        }
    }

    private void EmitBackward(AdjointPlan plan)
    {
        Line($"{_t} stateAdjointSquaredNorm = 0;");
        foreach (var step in plan.Seeds)
        {
            Render(step);
        }

        foreach (var block in plan.Blocks)
        {
            _body.Line();
            Line("// grad of: " + MathText.Equation(block.Value, _graph));
            if (!block.Reached)
            {
                Line("// (no path from this value to the loss: nothing to propagate)");
                continue;
            }

            foreach (var step in block.Steps)
            {
                Render(step);
            }
        }

        foreach (var step in plan.Completion)
        {
            _body.Line();
            Render(step);
        }

        _body.Line();
        Line("return stateAdjointSquaredNorm;");
    }

    private void Render(AdjointStep step)
    {
        string math = AdjointMath.Of(_graph, step);
        switch (step)
        {
            case SeedFromOutput seed:
                string d = _scope.Adjoint(seed.Target);
                string dy = $"outputGradient.Slice({BatchedLayout.Scaled(seed.OutputOffset)}, {BatchedLayout.Scaled(seed.Output.Length)})";
                string primal = GeneratedNames.AtStep(seed.Output.Name);
                Line(seed.Mode == WriteMode.Accumulate
                    ? $"TensorPrimitives.Add<{_t}>({d}, {dy}, {d}); // {d} += dL/d{primal}"
                    : $"{dy}.CopyTo({d}); // {d} = dL/d{primal}");
                break;

            case ClearAdjoint clear:
                Line($"{_scope.Adjoint(clear.Target)}.Clear(); // {StepScope.AdjointText(clear.Target)} = 0");
                break;

            case ClearUnreadPrevious unread:
                string previous = GeneratedNames.Previous(unread.Vector.Name);
                Line($"adjointFrames.Slice({BatchedLayout.Scaled(_graph.StateOffset(unread.Vector.Name))}, {BatchedLayout.Scaled(unread.Vector.Length)}).Clear(); // {GeneratedNames.Adjoint(previous)} = 0: {previous} is not read");
                break;

            case AddToStateNorm norm:
                Line($"stateAdjointSquaredNorm += TensorPrimitives.SumOfSquares<{_t}>({_scope.Adjoint(norm.Source)}); // {math}, every stream");
                break;

            case PassAdjoint pass:
                Line((pass.Mode == WriteMode.Assign
                    ? $"{_scope.Adjoint(pass.Source)}.CopyTo({_scope.Adjoint(pass.Target)})"
                    : $"TensorPrimitives.Add<{_t}>({_scope.Adjoint(pass.Target)}, {_scope.Adjoint(pass.Source)}, {_scope.Adjoint(pass.Target)})") + "; // " + math);
                break;

            case ScaleAdjoint scale:
                string scaleTarget = _scope.Adjoint(scale.Target), scaleSource = _scope.Adjoint(scale.Source);
                string literal = CSharp.Literal(scale.Scale, _graph.Model.Precision);
                Line((scale.Scale, scale.Mode) switch
                {
                    (-1, WriteMode.Assign) => $"TensorPrimitives.Negate<{_t}>({scaleSource}, {scaleTarget})",
                    (-1, _) => $"TensorPrimitives.Subtract<{_t}>({scaleTarget}, {scaleSource}, {scaleTarget})",
                    (_, WriteMode.Assign) => $"TensorPrimitives.Multiply<{_t}>({scaleSource}, {literal}, {scaleTarget})",
                    _ => $"TensorPrimitives.MultiplyAdd<{_t}>({scaleSource}, {literal}, {scaleTarget}, {scaleTarget})",
                } + "; // " + math);
                break;

            case MultiplyAdjoint product:
                string target = _scope.Adjoint(product.Target), source = _scope.Adjoint(product.Source), factor = _scope.Value(product.Factor);
                Line((product.Mode == WriteMode.Assign
                    ? $"TensorPrimitives.Multiply<{_t}>({source}, {factor}, {target})"
                    : $"TensorPrimitives.MultiplyAdd<{_t}>({source}, {factor}, {target}, {target})") + "; // " + math);
                break;

            case ApplyDerivative derivative:
                var rule = derivative.Primitive.Derivative!;
                Line(KernelCall.Backward(derivative.Mode == WriteMode.Assign ? rule.Assign : rule.Accumulate, _t,
                    _scope.Value(derivative.Output), _scope.Adjoint(derivative.Source), _scope.Adjoint(derivative.Target)) + "; // " + math);
                break;

            case TransposedProduct transposed:
                var matrix = transposed.Matrix;
                Line($"BatchedProducts.{(transposed.Mode == WriteMode.Assign ? "TransposedMultiply" : "TransposedMultiplyAdd")}<{_t}>({_scope.Parameter(matrix.Name)}, {matrix.Rows}, {matrix.Columns}, {_scope.Adjoint(transposed.Source)}, {BatchedLayout.Batch}, {_scope.Adjoint(transposed.Target)}); // {StepScope.AdjointText(transposed.Target)} {(transposed.Mode == WriteMode.Assign ? "=" : "+=")} {matrix.Name}^T {StepScope.AdjointText(transposed.Source)}");
                break;

            case OuterProduct outer:
                var weight = outer.Matrix;
                Line($"BatchedProducts.AddTransposedProducts<{_t}>({_scope.Gradient(weight.Name)}, {weight.Rows}, {weight.Columns}, 1, {_scope.Adjoint(outer.Source)}, 0, {_scope.Value(outer.Operand)}, 0, {BatchedLayout.Batch}); // {BackwardEmitter.OuterProductText(weight, outer.Source, StepScope.ValueText(_graph, outer.Operand))}, summed over the streams");
                break;

            case DeferredToWindow deferred:
                Line($"// {BackwardEmitter.OuterProductText(deferred.Product.Matrix, deferred.Product.Source, StepScope.ValueText(_graph, deferred.Product.Operand))}: summed over the window and the streams by Backward, one matrix product");
                break;

            case DeferredSumToWindow deferredSum:
                // The single-stream Backward sums a bias gradient over the window from the adjoint tape; here each
                // stream's part collects in its block of vectorGradients, which BackwardBatch sums over the streams.
                var sum = deferredSum.Sum;
                string gradient = _scope.Gradient(sum.Vector.Name);
                Line($"TensorPrimitives.Add<{_t}>({gradient}, {_scope.Adjoint(sum.Source)}, {gradient}); // {BackwardEmitter.SumText(sum)}, per stream");
                break;
        }
    }

    private void Line(string line) => _body.Line(line);
}
