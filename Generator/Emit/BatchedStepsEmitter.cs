using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the batched step class: ForwardStep and BackwardStep over B streams in lockstep, from the same graph and
/// the same <see cref="AdjointPlan"/> as the single-stream step. Every value is a feature-major block
/// (<see cref="BatchedLayout"/>), so each element-wise statement is one kernel call over length × B contiguous
/// elements, each product with a weight a small matrix-matrix product (<c>BatchedProducts</c>), and the comments are
/// the single-stream step's: the equations, and each adjoint statement's derivation. Each statement is written by the
/// code that writes the single-stream step's kernel calls (<see cref="ForwardKernelCalls"/>, <see cref="AdjointKernelCalls"/>),
/// with the batched kernels (<see cref="StepKernels.Batched"/>); no statement is fused into a loop.
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
        var calls = new ForwardKernelCalls(_graph, _scope, _body, StepKernels.Batched);
        foreach (var node in _graph.Materialized)
        {
            calls.Statement(node);
        }
    }

    private void EmitBackward(AdjointPlan plan)
    {
        var calls = new AdjointKernelCalls(_graph, _scope, _body, StepKernels.Batched);
        calls.Begin(plan);
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
                switch (step)
                {
                    case DeferredToWindow deferred:
                        Line($"// {AdjointMath.OuterProductText(_graph, deferred.Product)}: summed over the window and the streams by Backward, one matrix product");
                        break;

                    case DeferredSumToWindow deferredSum:
                        // The single-stream Backward sums a bias gradient over the window from the adjoint tape; here each
                        // stream's part collects in its block of vectorGradients, which BackwardBatch sums over the streams.
                        var sum = deferredSum.Sum;
                        string gradient = _scope.Gradient(sum.Vector.Name);
                        Line($"TensorPrimitives.Add<{_t}>({gradient}, {_scope.Adjoint(sum.Source)}, {gradient}); // {AdjointMath.SumText(sum)}, per stream");
                        break;

                    default:
                        calls.Render(step);
                        break;
                }
            }
        }

        calls.End(plan);
    }

    private void Line(string line) => _body.Line(line);
}
