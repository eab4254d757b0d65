using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Differentiation;

/// <summary>
/// Reverse-mode differentiation of one step: turns a <see cref="CellGraph"/> into an <see cref="AdjointPlan"/>, with
/// no text. Stored values are visited in reverse order; when a value is reached its adjoint is complete (every
/// reader came later forward, so was visited earlier), and its forward equation is differentiated into the
/// adjoints of its operands and the gradients of its parameters.
/// </summary>
/// <remarks>
/// The first contribution to an adjoint assigns it and later ones add to it, so nothing is zeroed that is then
/// written; a value read only through disjoint slices (the gates of an LSTM) is tracked range by range. An adjoint
/// that no path from the loss reaches is skipped; the adjoint of a previous state that nothing reads is cleared, as
/// the caller reads all of it. No adjoint is rescaled after it is written: a map's derivative writes the adjoint of
/// its operand (an adjoint-only slot when the operand is fused).
/// </remarks>
internal sealed class Differentiator
{
    private readonly CellGraph _graph;

    /// <summary>Adjoint ranges already written in this step (whole buffers, or the disjoint slices of one).</summary>
    private readonly HashSet<AdjointRange> _written = new();

    private readonly List<WindowOuterProduct> _windowProducts = new();
    private readonly List<WindowSum> _windowSums = new();
    private List<AdjointStep> _steps = new();

    private Differentiator(CellGraph graph) => _graph = graph;

    public static AdjointPlan Differentiate(CellGraph graph) => new Differentiator(graph).Run();

    private AdjointPlan Run()
    {
        // The adjoints that arrive from outside the step: dL/ds_t (already in place) and dL/dy_t.
        foreach (var vector in _graph.Recurrent)
        {
            _written.Add(Key(_graph.ValueOf(vector.Name)));
        }

        foreach (var output in _graph.Outputs)
        {
            var node = _graph.ValueOf(output.Name);
            _steps.Add(new SeedFromOutput(AdjointRange.Whole(node), output, _graph.OutputOffset(output.Name),
                output.IsRecurrent ? WriteMode.Accumulate : WriteMode.Assign));
            _written.Add(Key(node));
        }

        // Values read through overlapping slices, or both whole and sliced, accumulate from zero.
        foreach (var node in _graph.Materialized.Concat(_graph.Leaves.Where(l => l.Kind == NodeKind.Previous)))
        {
            if (SliceUse(node) == SliceUsage.Overlapping && _written.Add(Key(node)))
            {
                _steps.Add(new ClearAdjoint(AdjointRange.Whole(node)));
            }
        }

        var seeds = TakeSteps();
        var blocks = new List<AdjointBlock>();
        foreach (var node in Enumerable.Reverse(_graph.Materialized.ToList()))
        {
            CompleteFromSlices(node);
            bool reached = _written.Contains(Key(node));
            if (reached)
            {
                if (_graph.Recurrent.Any(v => _graph.ValueOf(v.Name) == node))
                {
                    _steps.Add(new AddToStateNorm(AdjointRange.Whole(node)));
                }

                Propagate(node, AdjointRange.Whole(node));
            }

            blocks.Add(new AdjointBlock(node, reached, TakeSteps()));
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
                _steps.Add(new ClearUnreadPrevious(vector));
            }
        }

        return new AdjointPlan(seeds, blocks, TakeSteps(), _windowProducts, _windowSums);
    }

    private List<AdjointStep> TakeSteps()
    {
        var steps = _steps;
        _steps = new List<AdjointStep>();
        return steps;
    }

    /// <summary>Differentiates the equation that computed <paramref name="node"/>, whose adjoint is <paramref name="adjoint"/>.</summary>
    private void Propagate(Node node, AdjointRange adjoint)
    {
        switch (node.Kind)
        {
            case NodeKind.Sum:
                // d(a + b + ...)/da = 1: every term receives the adjoint of the sum.
                foreach (var term in node.Children)
                {
                    PassTo(term, adjoint);
                }

                break;

            case NodeKind.MatVec or NodeKind.TransposedMatVec:
                // y = W v: grad_W += d_y vᵀ, d_v += Wᵀ d_y. y = Wᵀ v: grad_W += v d_yᵀ (the factors swapped), d_v += W d_y.
                var matrix = node.Matrix!;
                var vector = node.Children[0];
                bool transposed = node.Kind == NodeKind.TransposedMatVec;
                if (WindowProduct(matrix, adjoint, vector, transposed) is { } product)
                {
                    _windowProducts.Add(product);
                    _steps.Add(new DeferredToWindow(product));
                }
                else
                {
                    _steps.Add(new OuterProduct(matrix, adjoint, ValueOf(vector), transposed));
                }

                if (HasAdjoint(vector))
                {
                    _steps.Add(transposed
                        ? new MatrixProduct(AdjointOf(vector), matrix, adjoint, Mode(vector))
                        : new TransposedProduct(AdjointOf(vector), matrix, adjoint, Mode(vector)));
                }

                break;

            case NodeKind.Multiply:
                // d(a * b) = d * b for a, d * a for b.
                MultiplyInto(node.Children[0], adjoint, node.Children[1]);
                MultiplyInto(node.Children[1], adjoint, node.Children[0]);
                break;

            case NodeKind.Divide:
                // d(a / b) = d / b for a, -d * (y / b) for b.
                var (numerator, denominator) = (node.Children[0], node.Children[1]);
                if (HasAdjoint(numerator))
                {
                    _steps.Add(new DivideAdjoint(AdjointOf(numerator), adjoint, ValueOf(denominator), Mode(numerator)));
                }

                if (HasAdjoint(denominator))
                {
                    _steps.Add(new DivisorAdjoint(AdjointOf(denominator), adjoint, ValueRange.Whole(node), ValueOf(denominator), Mode(denominator)));
                }

                break;

            case NodeKind.Broadcast:
                // d(s repeated n times)/ds: the sum of the n adjoint elements.
                var scalar = node.Children[0];
                if (HasAdjoint(scalar))
                {
                    _steps.Add(new SumAdjoint(AdjointOf(scalar), adjoint, Mode(scalar)));
                }

                break;

            case NodeKind.Maximum or NodeKind.Minimum:
                // max(a, b) passes d to a where a > b, min(a, b) where b > a; a tie gives each d / 2.
                var (first, second) = (node.Children[0], node.Children[1]);
                bool maximum = node.Kind == NodeKind.Maximum;
                if (HasAdjoint(first))
                {
                    _steps.Add(new SelectedAdjoint(AdjointOf(first), adjoint, ValueOf(maximum ? first : second), ValueOf(maximum ? second : first), Mode(first)));
                }

                if (HasAdjoint(second))
                {
                    _steps.Add(new SelectedAdjoint(AdjointOf(second), adjoint, ValueOf(maximum ? second : first), ValueOf(maximum ? first : second), Mode(second)));
                }

                break;

            case NodeKind.Affine when node.Scale != 1:
                Differentiate(node, adjoint, target => new ScaleAdjoint(target.Range, adjoint, node.Scale, target.Mode));
                break;

            case NodeKind.Function when node.Primitive!.Derivative is { } derivative:
                ValueRange? argument = derivative.ReadsArgument ? ValueOf(node.Children[0]) : null;
                Differentiate(node, adjoint, target => new ApplyDerivative(target.Range, adjoint, node.Primitive, ValueRange.Whole(node), argument, target.Mode));
                break;

            case NodeKind.Concat:
                // d concat(a, b, ...) splits: each part receives the range of the adjoint it was copied to.
                int start = adjoint.Start;
                foreach (var part in node.Children)
                {
                    PassTo(part, new AdjointRange(adjoint.Buffer, start, part.Length));
                    start += part.Length;
                }

                break;

            case NodeKind.LayerNorm:
                // y = x̂ ⊙ gain + bias: one kernel for d_v and grad_gain from x̂ and 1/σ; d_bias = d_y.
                var operand = node.Children[0];
                var gain = _graph.Model.Parameters.First(p => p.Name == node.Children[1].LeafName);
                bool reachesOperand = HasAdjoint(operand);
                _steps.Add(new LayerNormBackward(node, reachesOperand ? AdjointOf(operand) : null, adjoint, gain,
                    reachesOperand ? Mode(operand) : WriteMode.Assign));
                PassTo(node.Children[2], adjoint);
                break;

            case NodeKind.Affine or NodeKind.Function or NodeKind.Copy:
                // An offset, the identity, a copy: the operand receives the adjoint unchanged.
                PassTo(node.Children[0], adjoint);
                break;
        }
    }

    /// <summary>
    /// The derivative of a map: into the operand's adjoint, or, when the operand is fused, into its adjoint-only slot,
    /// which is then differentiated in turn.
    /// </summary>
    private void Differentiate(Node map, AdjointRange adjoint, System.Func<(AdjointRange Range, WriteMode Mode), AdjointStep> step)
    {
        var operand = map.Children[0];
        if (operand.IsFused)
        {
            var slot = AdjointRange.Whole(operand);
            _steps.Add(step((slot, WriteMode.Assign)));
            Propagate(operand, slot);
        }
        else if (HasAdjoint(operand))
        {
            _steps.Add(step((AdjointOf(operand), Mode(operand))));
        }
    }

    /// <summary>Hands <paramref name="adjoint"/> on unchanged: into a fused operand's own equation, or into the operand's adjoint.</summary>
    private void PassTo(Node operand, AdjointRange adjoint)
    {
        if (operand.IsFused)
        {
            Propagate(operand, adjoint);
        }
        else if (operand.Kind == NodeKind.ParameterVector && adjoint.IsWhole && adjoint.Buffer.FrameOffset >= 0)
        {
            // A bias whose adjoint stays in the adjoint tape: its gradient is summed over the window at once.
            var sum = new WindowSum(_graph.Model.Parameters.First(p => p.Name == operand.LeafName), adjoint, _graph.TapeStart + adjoint.Buffer.FrameOffset);
            _windowSums.Add(sum);
            _steps.Add(new DeferredSumToWindow(sum));
        }
        else if (HasAdjoint(operand))
        {
            _steps.Add(new PassAdjoint(AdjointOf(operand), adjoint, Mode(operand)));
        }
    }

    /// <summary>Adds <paramref name="adjoint"/> * <paramref name="other"/> to the adjoint of <paramref name="target"/>.</summary>
    private void MultiplyInto(Node target, AdjointRange adjoint, Node other)
    {
        if (HasAdjoint(target))
        {
            _steps.Add(new MultiplyAdjoint(AdjointOf(target), adjoint, ValueOf(other), Mode(target)));
        }
    }

    /// <summary>
    /// The weight gradient of a product W v (or Wᵀ v) as a window product, when its adjoint is a whole slot of the adjoint
    /// frame (kept for every step in the adjoint tape, and final once the step is done) and v is a stored value or
    /// an input (kept in the tape or the recorded inputs).
    /// </summary>
    private WindowOuterProduct? WindowProduct(ParameterDeclaration matrix, AdjointRange adjoint, Node vector, bool transposed)
    {
        if (!adjoint.IsWhole || adjoint.Buffer.FrameOffset < 0 || WindowLocation(vector) is not { } operand)
        {
            return null;
        }

        return new WindowOuterProduct(matrix, adjoint, ValueOf(vector), _graph.TapeStart + adjoint.Buffer.FrameOffset,
            operand.Buffer, operand.Offset, operand.Stride, transposed);
    }

    /// <summary>Where a value of step 0 is kept for Backward, and how far apart its copies of consecutive steps are.</summary>
    private (WindowBuffer Buffer, int Offset, int Stride)? WindowLocation(Node node)
    {
        switch (node.Kind)
        {
            case NodeKind.Input:
                return (WindowBuffer.RecordedInputs, _graph.InputOffset(node.LeafName!), _graph.InputSize);
            case NodeKind.Previous:
                return (WindowBuffer.Tape, _graph.StateOffset(node.LeafName!), _graph.FrameSize);
            case NodeKind.Slice:
                return WindowLocation(node.Children[0]) is { } source ? (source.Buffer, source.Offset + node.SliceStart, source.Stride) : null;
            default:
                return node.IsMaterialized && node.FrameOffset >= 0 ? (WindowBuffer.Tape, _graph.TapeStart + node.FrameOffset, _graph.FrameSize) : null;
        }
    }

    /// <summary>Inputs, and slices of inputs, receive no adjoint: the cell returns none for them.</summary>
    private static bool HasAdjoint(Node node) => node.Kind switch
    {
        NodeKind.Input => false,
        NodeKind.Slice => HasAdjoint(node.Children[0]),
        _ => true,
    };

    /// <summary>The adjoint range of a non-fused node: a slice is a range of its source's adjoint.</summary>
    private static AdjointRange AdjointOf(Node node) =>
        node.Kind == NodeKind.Slice ? new AdjointRange(node.Children[0], node.SliceStart, node.Length) : AdjointRange.Whole(node);

    private static ValueRange ValueOf(Node node) =>
        node.Kind == NodeKind.Slice ? new ValueRange(node.Children[0], node.SliceStart, node.Length) : ValueRange.Whole(node);

    /// <summary>Assign on the first write of an adjoint, accumulate after; a parameter's gradient always accumulates.</summary>
    private WriteMode Mode(Node target)
    {
        var buffer = target.Kind == NodeKind.Slice ? target.Children[0] : target;
        if (buffer.Kind == NodeKind.ParameterVector)
        {
            return WriteMode.Accumulate;
        }

        return _written.Add(Key(target)) ? WriteMode.Assign : WriteMode.Accumulate;
    }

    /// <summary>
    /// The identity of an adjoint for first-write tracking. Slices of a value read only through disjoint slices are
    /// tracked range by range (unless the value is a state or output, whose adjoint arrives whole); other slices share
    /// their source's.
    /// </summary>
    private AdjointRange Key(Node node)
    {
        if (node.Kind != NodeKind.Slice)
        {
            return AdjointRange.Whole(node);
        }

        var source = node.Children[0];
        return SliceUse(source) == SliceUsage.Disjoint && !_graph.Recurrent.Concat(_graph.Outputs).Any(v => _graph.ValueOf(v.Name) == source)
            ? new AdjointRange(source, node.SliceStart, node.Length)
            : AdjointRange.Whole(source);
    }

    /// <summary>
    /// When a value read only through disjoint slices is reached, its adjoint is the union of theirs: a slice range
    /// nobody wrote is cleared, unless nothing was written at all.
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
            _steps.Add(new ClearAdjoint(AdjointOf(slice)));
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
}
