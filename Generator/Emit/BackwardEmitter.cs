using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes <c>BackwardStep</c>: reverse-mode differentiation of one step. Stored values are visited in
/// reverse order; when a value is reached its adjoint is complete (every reader came later forward, so
/// was visited earlier), and its forward equation is differentiated into the adjoints of its operands
/// and the gradients of its parameters.
/// </summary>
/// <remarks>
/// The first contribution to an adjoint buffer assigns it and later ones add to it, so nothing is zeroed
/// that is then written. An adjoint that no path from the loss reaches is skipped; the adjoint of a
/// previous state that nothing reads is cleared, as the caller reads all of it.
/// </remarks>
internal sealed class BackwardEmitter
{
    private readonly CellGraph _graph;
    private readonly StepScope _scope;
    private readonly SourceWriter _body = new();
    private readonly string _t;

    /// <summary>Adjoint buffers (or, for slices read separately, ranges of them) already written in this step.</summary>
    private readonly HashSet<string> _written = new();

    private readonly List<WindowOuterProduct> _windowProducts = new();

    private BackwardEmitter(CellGraph graph)
    {
        _graph = graph;
        _t = CSharp.Keyword(graph.Model.ElementType);
        _scope = new StepScope(graph, _t);
    }

    /// <summary>Differentiates the step; <see cref="Write"/> then writes it.</summary>
    public static BackwardEmitter Build(CellGraph graph)
    {
        var emitter = new BackwardEmitter(graph);
        emitter.EmitBody();
        return emitter;
    }

    /// <summary>The weight gradients that Backward accumulates over the window, after the steps, instead of BackwardStep.</summary>
    public IReadOnlyList<WindowOuterProduct> WindowProducts => _windowProducts;

    public void Write(SourceWriter writer)
    {
        string t = _t;
        string ros = CSharp.ReadOnlySpan;
        writer.Line("/// <summary>");
        writer.Line("/// One step backward. <paramref name=\"frames\"/> holds s_{t-1} and, FrameSize further, the frame of step t;");
        writer.Line("/// <paramref name=\"adjointFrames\"/> the adjoints laid out alike. On entry the adjoint frame holds dL/ds_t from the");
        writer.Line("/// steps after t in its first StateSize elements; on return it holds this step's adjoints, the first StateSize");
        writer.Line("/// elements of <paramref name=\"adjointFrames\"/> hold dL/ds_{t-1}, and the parameter gradients have gained this");
        writer.Line("/// step's terms, except the weight gradients that Backward sums over the whole window. Returns ||dL/ds_t||^2,");
        writer.Line("/// counting every path from s_t to the loss.");
        writer.Line("/// </summary>");
        writer.Line(CSharp.GeneratedCode);
        writer.Line(CSharp.HotPath);
        writer.Open($"private {t} BackwardStep({ros}<{t}> input, {ros}<{t}> frames, {ros}<{t}> outputGradient, {CSharp.Span}<{t}> adjointFrames)");
        _scope.DeclareUsed(writer, backward: true);
        foreach (var line in _body.ToString().TrimEnd('\n').Split('\n'))
        {
            writer.Line(line);
        }

        writer.Close();
    }

    private void EmitBody()
    {
        string tp = CSharp.TensorPrimitives;
        Line($"{_t} stateAdjointSquaredNorm = 0;");

        // The adjoints that arrive from outside the step: dL/ds_t (already in place) and dL/dy_t.
        foreach (var vector in _graph.Recurrent)
        {
            _written.Add(Key(_graph.ValueOf(vector.Name)));
        }

        foreach (var output in _graph.Outputs)
        {
            var node = _graph.ValueOf(output.Name);
            string d = _scope.Adjoint(node);
            string dy = $"outputGradient.Slice({_graph.OutputOffset(output.Name)}, {output.Length})";
            Line(output.IsRecurrent
                ? $"{tp}.Add<{_t}>({d}, {dy}, {d}); // {d} += dL/d{node.Local}"
                : $"{dy}.CopyTo({d}); // {d} = dL/d{node.Local}");
            _written.Add(Key(node));
        }

        // Values read through overlapping slices, or both whole and sliced, accumulate from zero.
        foreach (var node in _graph.Materialized.Concat(_graph.Leaves.Where(l => l.Kind == NodeKind.Previous)))
        {
            if (SliceUse(node) == SliceUsage.Overlapping && !_written.Contains(Key(node)))
            {
                Line($"{_scope.Adjoint(node)}.Clear();");
                _written.Add(Key(node));
            }
        }

        foreach (var node in Enumerable.Reverse(_graph.Materialized.ToList()))
        {
            CompleteFromSlices(node);
            string d = _scope.Adjoint(node);
            _body.Line();
            _body.Line("// " + ForwardEmitter.Equation(node, _graph));
            if (!_written.Contains(Key(node)))
            {
                Line("// (no path from this value to the loss: nothing to propagate)");
                continue;
            }

            if (_graph.Recurrent.Any(v => _graph.ValueOf(v.Name) == node))
            {
                Line($"stateAdjointSquaredNorm += {tp}.SumOfSquares<{_t}>({d});");
            }

            Propagate(node, d);
        }

        // dL/ds_{t-1} is complete; a previous state that no equation reads has a zero adjoint.
        foreach (var vector in _graph.Recurrent)
        {
            var previous = _graph.PreviousOf(vector.Name);
            if (previous is not null)
            {
                CompleteFromSlices(previous);
            }

            if (previous is null || !_written.Contains(Key(previous)))
            {
                _body.Line();
                Line($"adjointFrames.Slice({_graph.StateOffset(vector.Name)}, {vector.Length}).Clear(); // d_{vector.Name}_prev = 0: {vector.Name}_prev is not read");
            }
        }

        _body.Line();

        Line("return stateAdjointSquaredNorm;");
    }

    /// <summary>Differentiates the equation that computed <paramref name="node"/>, whose adjoint is <paramref name="d"/>.</summary>
    private void Propagate(Node node, string d)
    {
        string tp = CSharp.TensorPrimitives;
        switch (node.Kind)
        {
            case NodeKind.Sum:
                // d(a + b + ...)/da = 1: every term receives the adjoint of the sum.
                foreach (var term in node.Children)
                {
                    if (term.IsFused)
                    {
                        Propagate(term, d);
                    }
                    else
                    {
                        Contribute(term, d);
                    }
                }

                break;

            case NodeKind.MatVec:
                var matrix = node.Matrix!;
                var vector = node.Children[0];
                string update = $"grad_{matrix.Name} += {d} {StepScope.ValueText(vector)}^T";
                if (WindowProduct(node, d, vector, update) is { } product)
                {
                    _windowProducts.Add(product);
                    Line($"// {update}: summed over the window by Backward, one matrix product");
                }
                else
                {
                    string grad = _scope.Gradient(matrix.Name);
                    Line($"{CSharp.MatrixVector}.AddOuterProduct<{_t}>({grad}, {matrix.Rows}, {matrix.Columns}, {d}, {_scope.Value(vector)}); // {update}");
                }

                if (HasAdjoint(vector))
                {
                    bool first = FirstWrite(vector);
                    string dv = _scope.Adjoint(vector);
                    Line($"{CSharp.MatrixVector}.{(first ? "TransposedMultiply" : "TransposedMultiplyAdd")}<{_t}>({_scope.Parameter(matrix.Name)}, {matrix.Rows}, {matrix.Columns}, {d}, {dv}); // {StepScope.AdjointText(vector)} {(first ? "=" : "+=")} {matrix.Name}^T {d}");
                }

                break;

            case NodeKind.Multiply:
                // d(a * b) = d * b for a, d * a for b.
                ContributeProduct(node.Children[0], d, node.Children[1]);
                ContributeProduct(node.Children[1], d, node.Children[0]);
                break;

            case NodeKind.Affine:
                if (node.Scale != 1)
                {
                    Line($"{tp}.Multiply<{_t}>({d}, {CSharp.Literal(node.Scale, _graph.Model.ElementType)}, {d}); // {d} *= {CSharp.MathLiteral(node.Scale)}");
                }

                PropagateToOperand(node, d);
                break;

            case NodeKind.Function:
                Derivative(node, d);
                PropagateToOperand(node, d);
                break;

            case NodeKind.Copy:
                Contribute(node.Children[0], d);
                break;
        }
    }

    /// <summary>After an in-place map of the adjoint, hands it on: to a fused operand, or into the operand's adjoint.</summary>
    private void PropagateToOperand(Node node, string d)
    {
        var operand = node.Children[0];
        if (operand.IsFused)
        {
            Propagate(operand, d);
        }
        else
        {
            Contribute(operand, d);
        }
    }

    /// <summary>d := d * f'(u), written in terms of the stored output y = f(u).</summary>
    private void Derivative(Node node, string d)
    {
        string y = _scope.Value(node);
        string tp = CSharp.TensorPrimitives, activations = CSharp.Activations;
        switch (node.Function)
        {
            case Function.Tanh:
                Line($"{activations}.TanhBackward<{_t}>({y}, {d}); // {d} *= 1 - {y}^2");
                break;
            case Function.Sigmoid:
                Line($"{activations}.SigmoidBackward<{_t}>({y}, {d}); // {d} *= {y} (1 - {y})");
                break;
            case Function.Relu:
                Line($"{activations}.ReluBackward<{_t}>({y}, {d}); // {d} *= ({y} > 0)");
                break;
            case Function.Exp:
                Line($"{tp}.Multiply<{_t}>({d}, {y}, {d}); // {d} *= {y}");
                break;
            case Function.Softplus:
                Line($"{activations}.SoftplusBackward<{_t}>({y}, {d}); // {d} *= sigmoid(u) = 1 - exp(-{y})");
                break;
            case Function.Identity:
                break;
        }
    }

    /// <summary>Adds <paramref name="d"/> to the adjoint of <paramref name="target"/>.</summary>
    private void Contribute(Node target, string d)
    {
        if (!HasAdjoint(target))
        {
            return;
        }

        string tp = CSharp.TensorPrimitives;
        string dt = _scope.Adjoint(target);
        string math = StepScope.AdjointText(target);
        if (FirstWrite(target))
        {
            Line($"{d}.CopyTo({dt}); // {math} = {d}");
        }
        else
        {
            Line($"{tp}.Add<{_t}>({dt}, {d}, {dt}); // {math} += {d}");
        }
    }

    /// <summary>Adds <paramref name="d"/> * <paramref name="other"/> to the adjoint of <paramref name="target"/>.</summary>
    private void ContributeProduct(Node target, string d, Node other)
    {
        if (!HasAdjoint(target))
        {
            return;
        }

        string tp = CSharp.TensorPrimitives;
        string dt = _scope.Adjoint(target);
        string o = _scope.Value(other);
        string math = $"{StepScope.AdjointText(target)} {{0}} {d} * {StepScope.ValueText(other)}";
        Line(FirstWrite(target)
            ? $"{tp}.Multiply<{_t}>({d}, {o}, {dt}); // " + string.Format(math, "=")
            : $"{tp}.MultiplyAdd<{_t}>({d}, {o}, {dt}, {dt}); // " + string.Format(math, "+="));
    }

    /// <summary>
    /// The weight gradient of a product W v as a window product, when its adjoint <paramref name="d"/> is the
    /// stored adjoint of a value (kept for every step in the adjoint tape, and final once the step is done: only
    /// the operands of a fused sum or map read it after its in-place updates) and v is a stored value or input.
    /// </summary>
    private WindowOuterProduct? WindowProduct(Node product, string d, Node vector, string text)
    {
        var owner = product;
        while (owner.IsFused)
        {
            owner = owner.Consumers[0];
        }

        if (owner.FrameOffset < 0 || d != "d_" + owner.Local || WindowLocation(vector) is not { } operand)
        {
            return null;
        }

        return new WindowOuterProduct(product.Matrix!, _graph.TapeStart + owner.FrameOffset, operand.Buffer, operand.Offset, operand.Stride, text);
    }

    /// <summary>Where a value of step 0 is kept for Backward, and how far apart its copies of consecutive steps are.</summary>
    private (string Buffer, int Offset, int Stride)? WindowLocation(Node node)
    {
        switch (node.Kind)
        {
            case NodeKind.Input:
                return ("recordedInputs", _graph.InputOffset(node.LeafName!), _graph.InputSize);
            case NodeKind.Previous:
                return ("tape", _graph.StateOffset(node.LeafName!), _graph.FrameSize);
            case NodeKind.Slice:
                return WindowLocation(node.Children[0]) is { } source ? (source.Buffer, source.Offset + node.SliceStart, source.Stride) : null;
            default:
                return node.IsMaterialized && node.FrameOffset >= 0 ? ("tape", _graph.TapeStart + node.FrameOffset, _graph.FrameSize) : null;
        }
    }

    /// <summary>Inputs, and slices of inputs, receive no adjoint: the cell returns none for them.</summary>
    private static bool HasAdjoint(Node node) => node.Kind switch
    {
        NodeKind.Input => false,
        NodeKind.Slice => HasAdjoint(node.Children[0]),
        _ => true,
    };

    /// <summary>True the first time an adjoint buffer is written (so the write assigns); gradients always accumulate.</summary>
    private bool FirstWrite(Node target)
    {
        if (target.Kind == NodeKind.ParameterVector || (target.Kind == NodeKind.Slice && target.Children[0].Kind == NodeKind.ParameterVector))
        {
            return false;
        }

        return _written.Add(Key(target));
    }

    /// <summary>
    /// The identity of an adjoint buffer for first-write tracking. Slices of a value read only through
    /// disjoint slices (the gates of an LSTM) are tracked range by range; other slices share their source's.
    /// </summary>
    private string Key(Node node)
    {
        if (node.Kind != NodeKind.Slice)
        {
            return node.Local!;
        }

        var source = node.Children[0];
        return SliceUse(source) == SliceUsage.Disjoint && !_graph.Recurrent.Concat(_graph.Outputs).Any(v => _graph.ValueOf(v.Name) == source)
            ? source.Local + "[" + node.SliceStart + ".." + (node.SliceStart + node.Length) + "]"
            : source.Local!;
    }

    /// <summary>
    /// When a value read only through disjoint slices is reached, its adjoint is the union of theirs:
    /// a slice range nobody wrote is cleared, unless nothing was written at all.
    /// </summary>
    private void CompleteFromSlices(Node node)
    {
        if (SliceUse(node) != SliceUsage.Disjoint || _written.Contains(Key(node)))
        {
            return;
        }

        var slices = node.Consumers.Where(c => c.Kind == NodeKind.Slice).ToList();
        if (!slices.Any(s => _written.Contains(Key(s))))
        {
            return;
        }

        foreach (var slice in slices.Where(s => !_written.Contains(Key(s))))
        {
            Line($"{_scope.Adjoint(slice)}.Clear();");
        }

        _written.Add(Key(node));
    }

    private enum SliceUsage
    {
        None,
        Disjoint,
        Overlapping,
    }

    private static SliceUsage SliceUse(Node node)
    {
        var slices = node.Consumers.Where(c => c.Kind == NodeKind.Slice).OrderBy(s => s.SliceStart).ToList();
        if (slices.Count == 0)
        {
            return SliceUsage.None;
        }

        // Disjoint slices must also cover the value, or the uncovered rest of its adjoint would be stale.
        if (slices.Count != node.Consumers.Count || slices.Sum(s => s.Length) != node.Length)
        {
            return SliceUsage.Overlapping;
        }

        for (int i = 1; i < slices.Count; i++)
        {
            if (slices[i].SliceStart < slices[i - 1].SliceStart + slices[i - 1].Length)
            {
                return SliceUsage.Overlapping;
            }
        }

        return SliceUsage.Disjoint;
    }

    private void Line(string line) => _body.Line(line);
}
