using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the statements of an <see cref="AdjointPlan"/> as kernel calls, each followed by the math it computes: every
/// statement of the batched step, and those of the single-stream step that no fused loop computes. The two differ only
/// by their <see cref="StepKernels"/>; how each walks the plan's blocks is its own.
/// </summary>
internal sealed class AdjointKernelCalls : KernelCallWriter
{
    public AdjointKernelCalls(CellGraph graph, StepScope scope, SourceWriter body, StepKernels kernels)
        : base(graph, scope, body, kernels)
    {
    }

    /// <summary>The start of BackwardStep: the state adjoint's squared norm at 0, the adjoints seeded from dL/dy_t.</summary>
    public void Begin(AdjointPlan plan)
    {
        Line($"{T} stateAdjointSquaredNorm = 0;");
        foreach (var step in plan.Seeds)
        {
            Render(step);
        }
    }

    /// <summary>The end of BackwardStep: the plan's completion (dL/ds_{t-1}), each statement apart, and the norm returned.</summary>
    public void End(AdjointPlan plan)
    {
        foreach (var step in plan.Completion)
        {
            Blank();
            Render(step);
        }

        Blank();
        Line("return stateAdjointSquaredNorm;");
    }

    /// <summary>Writes one statement of the plan (the window sums that Backward does are the callers' to mention).</summary>
    public void Render(AdjointStep step)
    {
        switch (step)
        {
            case SeedFromOutput seed:
                string d = Scope.Adjoint(seed.Target);
                string dy = $"outputGradient.Slice({Kernels.Scaled(seed.OutputOffset)}, {Kernels.Scaled(seed.Output.Length)})";
                string primal = GeneratedNames.AtStep(seed.Output.Name);
                Line(seed.Mode == WriteMode.Accumulate
                    ? $"TensorPrimitives.Add<{T}>({d}, {dy}, {d}); // {d} += dL/d{primal}"
                    : $"{dy}.CopyTo({d}); // {d} = dL/d{primal}");
                break;

            case ClearAdjoint clear:
                Line($"{Scope.Adjoint(clear.Target)}.Clear(); // {StepScope.AdjointText(clear.Target)} = 0");
                break;

            case ClearUnreadPrevious unread:
                string previous = GeneratedNames.Previous(unread.Vector.Name);
                Line($"adjointFrames.Slice({Kernels.Scaled(Graph.StateOffset(unread.Vector.Name))}, {Kernels.Scaled(unread.Vector.Length)}).Clear(); // {GeneratedNames.Adjoint(previous)} = 0: {previous} is not read");
                break;

            case AddToStateNorm norm:
                string sumOfSquares = $"stateAdjointSquaredNorm += TensorPrimitives.SumOfSquares<{T}>({Scope.Adjoint(norm.Source)});";
                Line(Kernels.StateNormRemark is { } remark ? $"{sumOfSquares} // {AdjointMath.Of(Graph, step)}, {remark}" : sumOfSquares);
                break;

            case PassAdjoint pass:
                Statement(step, pass.Mode == WriteMode.Assign
                    ? $"{Scope.Adjoint(pass.Source)}.CopyTo({Scope.Adjoint(pass.Target)})"
                    : $"TensorPrimitives.Add<{T}>({Scope.Adjoint(pass.Target)}, {Scope.Adjoint(pass.Source)}, {Scope.Adjoint(pass.Target)})");
                break;

            case ScaleAdjoint scale:
                string scaleTarget = Scope.Adjoint(scale.Target), scaleSource = Scope.Adjoint(scale.Source);
                string literal = CSharp.Literal(scale.Scale, Graph.Model.Precision);
                Statement(step, (scale.Scale, scale.Mode) switch
                {
                    (-1, WriteMode.Assign) => $"TensorPrimitives.Negate<{T}>({scaleSource}, {scaleTarget})",
                    (-1, _) => $"TensorPrimitives.Subtract<{T}>({scaleTarget}, {scaleSource}, {scaleTarget})",
                    (_, WriteMode.Assign) => $"TensorPrimitives.Multiply<{T}>({scaleSource}, {literal}, {scaleTarget})",
                    _ => $"TensorPrimitives.MultiplyAdd<{T}>({scaleSource}, {literal}, {scaleTarget}, {scaleTarget})",
                });
                break;

            case MultiplyAdjoint product:
                string target = Scope.Adjoint(product.Target), source = Scope.Adjoint(product.Source), factor = Scope.Value(product.Factor);
                Statement(step, product.Mode == WriteMode.Assign
                    ? $"TensorPrimitives.Multiply<{T}>({source}, {factor}, {target})"
                    : $"TensorPrimitives.MultiplyAdd<{T}>({source}, {factor}, {target}, {target})");
                break;

            case DivideAdjoint quotient:
                string numeratorTarget = Scope.Adjoint(quotient.Target), quotientSource = Scope.Adjoint(quotient.Source), divisor = Scope.Value(quotient.Divisor);
                Statement(step, quotient.Mode == WriteMode.Assign
                    ? $"TensorPrimitives.Divide<{T}>({quotientSource}, {divisor}, {numeratorTarget})"
                    : $"Activations.QuotientNumeratorBackwardAdd<{T}>({divisor}, {quotientSource}, {numeratorTarget})");
                break;

            case DivisorAdjoint denominator:
                Statement(step, $"Activations.{(denominator.Mode == WriteMode.Assign ? "QuotientDivisorBackward" : "QuotientDivisorBackwardAdd")}<{T}>("
                    + $"{Scope.Value(denominator.Quotient)}, {Scope.Value(denominator.Divisor)}, {Scope.Adjoint(denominator.Source)}, {Scope.Adjoint(denominator.Target)})");
                break;

            case SumAdjoint sum:
                Statement(step, Kernels.SumOfElements(T, Scope.Adjoint(sum.Source), Scope.Adjoint(sum.Target), accumulate: sum.Mode != WriteMode.Assign));
                break;

            case SelectedAdjoint selected:
                Statement(step, $"Activations.{(selected.Mode == WriteMode.Assign ? "SelectedBackward" : "SelectedBackwardAdd")}<{T}>("
                    + $"{Scope.Value(selected.Larger)}, {Scope.Value(selected.Smaller)}, {Scope.Adjoint(selected.Source)}, {Scope.Adjoint(selected.Target)})");
                break;

            case ApplyDerivative derivative:
                var rule = derivative.Primitive.Derivative!;
                Statement(step, KernelCall.Backward(derivative.Mode == WriteMode.Assign ? rule.Assign : rule.Accumulate, T,
                    derivative.Argument is { } argument ? Scope.Value(argument) : "", Scope.Value(derivative.Output), Scope.Adjoint(derivative.Source), Scope.Adjoint(derivative.Target)));
                break;

            case TransposedProduct transposed:
                var matrix = transposed.Matrix;
                Statement(step, Kernels.TransposedProduct(T, matrix, Scope.Parameter(matrix.Name), Scope.Adjoint(transposed.Source),
                    Scope.Adjoint(transposed.Target), accumulate: transposed.Mode != WriteMode.Assign));
                break;

            case MatrixProduct product:
                Statement(step, Kernels.Product(T, product.Matrix, Scope.Parameter(product.Matrix.Name), Scope.Adjoint(product.Source),
                    Scope.Adjoint(product.Target), accumulate: product.Mode != WriteMode.Assign));
                break;

            case LayerNormBackward norm:
                string normTarget = norm.Target is { } operandAdjoint ? Scope.Adjoint(operandAdjoint) : "default";
                Statement(step, $"LayerNorm.Backward<{T}>({Scope.Statistics(norm.Norm)}, {Scope.Value(norm.Norm.Children[1])}, {Scope.Adjoint(norm.Source)}, "
                    + $"{normTarget}, accumulate: {(norm.Mode == WriteMode.Accumulate ? "true" : "false")}, {Scope.Gradient(norm.Gain.Name)}, {Kernels.Scaled(1)})");
                break;

            case OuterProduct outer:
                var weight = outer.Matrix;
                string adjoint = Scope.Adjoint(outer.Source), operand = Scope.Value(outer.Operand);
                Line(Kernels.OuterProduct(T, weight, Scope.Gradient(weight.Name), outer.Transposed ? operand : adjoint, outer.Transposed ? adjoint : operand)
                    + $"; // {AdjointMath.Of(Graph, step)}{Kernels.OuterProductRemark}");
                break;
        }
    }

    /// <summary>A statement writing an adjoint, with the math it computes: <c>d_f_t = d_c_t * c_prev</c>.</summary>
    private void Statement(AdjointStep step, string call) => Line($"{call}; // {AdjointMath.Of(Graph, step)}");

}
