using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes <c>BackwardStep</c> by rendering an <see cref="AdjointPlan"/>: each block headed by the forward equation it
/// differentiates, each statement followed by the math it computes. All the decisions are the plan's. Runs of
/// element-wise statements become fused loops (<see cref="FusedAdjoints"/>); every other statement is a kernel call
/// (<see cref="AdjointKernelCalls"/>, as in the batched step).
/// </summary>
internal sealed class BackwardEmitter
{
    private readonly CellGraph _graph;
    private readonly StepScope _scope;
    private readonly SourceWriter _body = new();
    private readonly AdjointKernelCalls _calls;
    private readonly string _t;

    private BackwardEmitter(CellGraph graph)
    {
        _graph = graph;
        _t = CSharp.Keyword(graph.Model.Precision);
        _scope = new StepScope(graph);
        _calls = new AdjointKernelCalls(graph, _scope, _body, StepKernels.SingleStream);
    }

    public static void Emit(SourceWriter writer, CellGraph graph, AdjointPlan plan)
    {
        var emitter = new BackwardEmitter(graph);
        emitter.Render(plan);

        string t = emitter._t;
        writer.Line("/// <summary>");
        writer.Line("/// One step backward. <paramref name=\"frames\"/> holds s_{t-1} and, FrameSize further, the frame of step t;");
        writer.Line("/// <paramref name=\"adjointFrames\"/> the adjoints laid out alike. On entry the adjoint frame holds dL/ds_t from the");
        writer.Line("/// steps after t in its first StateSize elements; on return it holds this step's adjoints, the first StateSize");
        writer.Line("/// elements of <paramref name=\"adjointFrames\"/> hold dL/ds_{t-1}, and <paramref name=\"gradients\"/> have gained this");
        writer.Line("/// step's terms, except the weight and bias gradients that Backward sums over the whole window. Returns ||dL/ds_t||^2,");
        writer.Line("/// counting every path from s_t to the loss.");
        writer.Line("/// </summary>");
        writer.Line(CSharp.StepsGeneratedCode);
        writer.Line(CSharp.StepsHotPath);
        writer.Open($"public static {t} BackwardStep(ReadOnlySpan<{t}> parameters, Span<{t}> gradients, ReadOnlySpan<{t}> input, ReadOnlySpan<{t}> frames, ReadOnlySpan<{t}> outputGradient, Span<{t}> adjointFrames)");
        emitter._scope.DeclareUsed(writer, backward: true);
        writer.Lines(emitter._body);
        writer.Close();
    }

    private void Render(AdjointPlan plan)
    {
        _calls.Begin(plan);
        var fused = new FusedAdjoints(_graph, _scope, _body);
        var headings = new List<string>();
        foreach (var block in plan.Blocks)
        {
            headings.Add("// grad of: " + MathText.Equation(block.Value, _graph));
            if (!block.Reached)
            {
                headings.Add("// (no path from this value to the loss: nothing to propagate)");
                continue;
            }

            // The arguments whose adjoints have slots of their own (their values live only inside this equation).
            foreach (var argument in block.Steps.Select(Target).Where(r => r?.Buffer.HasAdjointOnly == true).Select(r => r!.Value.Buffer).Distinct())
            {
                headings.Add($"// with {argument.Local} = {MathText.Expression(argument.Source!, _graph)}");
            }

            foreach (var step in block.Steps)
            {
                if (step is DeferredToWindow deferred)
                {
                    headings.Add($"// {AdjointMath.OuterProductText(_graph, deferred.Product)}: summed over the window by Backward, one matrix product");
                }
                else if (step is DeferredSumToWindow deferredSum)
                {
                    headings.Add($"// {AdjointMath.SumText(deferredSum.Sum)}: summed over the window by Backward, one kernel call");
                }
                else if (FusedAdjoints.CanFuse(step))
                {
                    if (!fused.Accepts(step))
                    {
                        fused.Flush();
                    }

                    headings.ForEach(fused.Heading);
                    headings.Clear();
                    fused.Add(step, AdjointMath.Of(_graph, step));
                }
                else
                {
                    fused.Flush();
                    WriteHeadings(headings);
                    _calls.Render(step);
                }
            }
        }

        fused.Flush();
        WriteHeadings(headings);
        _calls.End(plan);
    }

    private void WriteHeadings(List<string> headings)
    {
        if (headings.Count > 0)
        {
            _body.Line();
            headings.ForEach(Line);
            headings.Clear();
        }
    }

    private static AdjointRange? Target(AdjointStep step) => step switch
    {
        PassAdjoint s => s.Target,
        ScaleAdjoint s => s.Target,
        ApplyDerivative s => s.Target,
        _ => null,
    };

    private void Line(string line) => _body.Line(line);
}
