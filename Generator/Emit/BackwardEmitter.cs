using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes <c>BackwardStep</c> by rendering an <see cref="AdjointPlan"/>: each block headed by the forward equation it
/// differentiates, each statement followed by the math it computes. All the decisions are the plan's.
/// </summary>
internal sealed class BackwardEmitter
{
    private readonly CellGraph _graph;
    private readonly StepScope _scope;
    private readonly SourceWriter _body = new();
    private readonly string _t;

    private BackwardEmitter(CellGraph graph)
    {
        _graph = graph;
        _t = CSharp.Keyword(graph.Model.Precision);
        _scope = new StepScope(graph);
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
        Line($"{_t} stateAdjointSquaredNorm = 0;");
        foreach (var step in plan.Seeds)
        {
            Render(step);
        }

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
                    headings.Add($"// {OuterProductText(deferred.Product.Matrix, deferred.Product.Source, StepScope.ValueText(_graph, deferred.Product.Operand))}: summed over the window by Backward, one matrix product");
                }
                else if (step is DeferredSumToWindow deferredSum)
                {
                    headings.Add($"// {SumText(deferredSum.Sum)}: summed over the window by Backward, one kernel call");
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
                    Render(step);
                }
            }
        }

        fused.Flush();
        WriteHeadings(headings);

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
        switch (step)
        {
            case SeedFromOutput seed:
                string d = _scope.Adjoint(seed.Target);
                string dy = $"outputGradient.Slice({seed.OutputOffset}, {seed.Output.Length})";
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
                Line($"adjointFrames.Slice({_graph.StateOffset(unread.Vector.Name)}, {unread.Vector.Length}).Clear(); // {GeneratedNames.Adjoint(previous)} = 0: {previous} is not read");
                break;

            case AddToStateNorm norm:
                Line($"stateAdjointSquaredNorm += TensorPrimitives.SumOfSquares<{_t}>({_scope.Adjoint(norm.Source)});");
                break;

            case PassAdjoint pass:
                Assignment(pass.Target, pass.Mode, pass.Mode == WriteMode.Assign
                    ? $"{_scope.Adjoint(pass.Source)}.CopyTo({_scope.Adjoint(pass.Target)})"
                    : $"TensorPrimitives.Add<{_t}>({_scope.Adjoint(pass.Target)}, {_scope.Adjoint(pass.Source)}, {_scope.Adjoint(pass.Target)})",
                    StepScope.AdjointText(pass.Source));
                break;

            case ScaleAdjoint scale:
                RenderScale(scale);
                break;

            case MultiplyAdjoint product:
                string target = _scope.Adjoint(product.Target), source = _scope.Adjoint(product.Source), factor = _scope.Value(product.Factor);
                Assignment(product.Target, product.Mode, product.Mode == WriteMode.Assign
                    ? $"TensorPrimitives.Multiply<{_t}>({source}, {factor}, {target})"
                    : $"TensorPrimitives.MultiplyAdd<{_t}>({source}, {factor}, {target}, {target})",
                    $"{StepScope.AdjointText(product.Source)} * {StepScope.ValueText(_graph, product.Factor)}");
                break;

            case ApplyDerivative derivative:
                var rule = derivative.Primitive.Derivative!;
                Assignment(derivative.Target, derivative.Mode,
                    KernelCall.Backward(derivative.Mode == WriteMode.Assign ? rule.Assign : rule.Accumulate, _t,
                        _scope.Value(derivative.Output), _scope.Adjoint(derivative.Source), _scope.Adjoint(derivative.Target)),
                    $"{StepScope.AdjointText(derivative.Source)} * {KernelCall.Factor(rule, StepScope.ValueText(_graph, derivative.Output))}");
                break;

            case TransposedProduct transposed:
                var matrix = transposed.Matrix;
                Assignment(transposed.Target, transposed.Mode,
                    $"MatrixVector.{(transposed.Mode == WriteMode.Assign ? "TransposedMultiply" : "TransposedMultiplyAdd")}<{_t}>({_scope.Parameter(matrix.Name)}, {matrix.Rows}, {matrix.Columns}, {_scope.Adjoint(transposed.Source)}, {_scope.Adjoint(transposed.Target)})",
                    $"{matrix.Name}^T {StepScope.AdjointText(transposed.Source)}");
                break;

            case OuterProduct outer:
                var weight = outer.Matrix;
                Line($"MatrixVector.AddOuterProduct<{_t}>({_scope.Gradient(weight.Name)}, {weight.Rows}, {weight.Columns}, {_scope.Adjoint(outer.Source)}, {_scope.Value(outer.Operand)}); // {OuterProductText(weight, outer.Source, StepScope.ValueText(_graph, outer.Operand))}");
                break;

        }
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

    /// <summary>The operand of <c>scale * v + offset</c>: a negation reads as <c>-=</c>.</summary>
    private void RenderScale(ScaleAdjoint scale)
    {
        string target = _scope.Adjoint(scale.Target), source = _scope.Adjoint(scale.Source), sourceText = StepScope.AdjointText(scale.Source);
        if (scale.Scale == -1)
        {
            string targetText = StepScope.AdjointText(scale.Target);
            Line(scale.Mode == WriteMode.Assign
                ? $"TensorPrimitives.Negate<{_t}>({source}, {target}); // {targetText} = -{sourceText}"
                : $"TensorPrimitives.Subtract<{_t}>({target}, {source}, {target}); // {targetText} -= {sourceText}");
            return;
        }

        string literal = CSharp.Literal(scale.Scale, _graph.Model.Precision);
        Assignment(scale.Target, scale.Mode, scale.Mode == WriteMode.Assign
            ? $"TensorPrimitives.Multiply<{_t}>({source}, {literal}, {target})"
            : $"TensorPrimitives.MultiplyAdd<{_t}>({source}, {literal}, {target}, {target})",
            $"{CSharp.MathLiteral(scale.Scale)} * {sourceText}");
    }

    /// <summary>A statement writing an adjoint, with the math it computes: <c>d_f_t = d_c_t * c_prev</c>.</summary>
    private void Assignment(AdjointRange target, WriteMode mode, string call, string math) =>
        Line($"{call}; // {StepScope.AdjointText(target)} {(mode == WriteMode.Assign ? "=" : "+=")} {math}");

    /// <summary><c>grad_W += d_gates_t x_t^T</c>.</summary>
    public static string OuterProductText(ParameterDeclaration matrix, AdjointRange source, string operand) =>
        $"{GeneratedNames.Gradient(matrix.Name)} += {StepScope.AdjointText(source)} {operand}^T";

    /// <summary>How a bias gradient summed over the window reads in comments: <c>grad_b += d_gates_t</c>.</summary>
    public static string SumText(WindowSum sum) => $"{GeneratedNames.Gradient(sum.Vector.Name)} += {StepScope.AdjointText(sum.Source)}";

    private static AdjointRange? Target(AdjointStep step) => step switch
    {
        PassAdjoint s => s.Target,
        ScaleAdjoint s => s.Target,
        ApplyDerivative s => s.Target,
        _ => null,
    };

    private void Line(string line) => _body.Line(line);
}
