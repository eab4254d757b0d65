using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>How an adjoint statement reads in the comments of both backward steps and the drivers: <c>d_f_t = d_c_t * c_prev</c>.</summary>
internal static class AdjointMath
{
    public static string Of(CellGraph graph, AdjointStep step)
    {
        string Op(WriteMode mode) => mode == WriteMode.Assign ? "=" : "+=";
        return step switch
        {
            AddToStateNorm norm => $"stateAdjointSquaredNorm += ||{StepScope.AdjointText(norm.Source)}||^2",
            PassAdjoint pass => $"{StepScope.AdjointText(pass.Target)} {Op(pass.Mode)} {StepScope.AdjointText(pass.Source)}",
            ScaleAdjoint { Scale: -1 } negation => $"{StepScope.AdjointText(negation.Target)} {(negation.Mode == WriteMode.Assign ? "= -" : "-= ")}{StepScope.AdjointText(negation.Source)}",
            ScaleAdjoint scale => $"{StepScope.AdjointText(scale.Target)} {Op(scale.Mode)} {CSharp.MathLiteral(scale.Scale)} * {StepScope.AdjointText(scale.Source)}",
            MultiplyAdjoint product => $"{StepScope.AdjointText(product.Target)} {Op(product.Mode)} {StepScope.AdjointText(product.Source)} * {StepScope.ValueText(graph, product.Factor)}",
            DivideAdjoint quotient => $"{StepScope.AdjointText(quotient.Target)} {Op(quotient.Mode)} {StepScope.AdjointText(quotient.Source)} / {StepScope.ValueText(graph, quotient.Divisor)}",
            DivisorAdjoint divisor => $"{StepScope.AdjointText(divisor.Target)} {(divisor.Mode == WriteMode.Assign ? "= -" : "-= ")}{StepScope.AdjointText(divisor.Source)} * ({StepScope.ValueText(graph, divisor.Quotient)} / {StepScope.ValueText(graph, divisor.Divisor)})",
            SumAdjoint sum => $"{StepScope.AdjointText(sum.Target)} {Op(sum.Mode)} sum({StepScope.AdjointText(sum.Source)})",
            SelectedAdjoint selected => $"{StepScope.AdjointText(selected.Target)} {Op(selected.Mode)} {StepScope.AdjointText(selected.Source)} where {StepScope.ValueText(graph, selected.Larger)} > {StepScope.ValueText(graph, selected.Smaller)}, half of it where equal",
            ApplyDerivative derivative => $"{StepScope.AdjointText(derivative.Target)} {Op(derivative.Mode)} {StepScope.AdjointText(derivative.Source)} * {KernelCall.Factor(derivative.Primitive.Derivative!, derivative.Argument is { } argument ? StepScope.ValueText(graph, argument) : "", StepScope.ValueText(graph, derivative.Output))}",
            TransposedProduct transposed => $"{StepScope.AdjointText(transposed.Target)} {Op(transposed.Mode)} {transposed.Matrix.Name}^T {StepScope.AdjointText(transposed.Source)}",
            MatrixProduct product => $"{StepScope.AdjointText(product.Target)} {Op(product.Mode)} {product.Matrix.Name} {StepScope.AdjointText(product.Source)}",
            LayerNormBackward norm => LayerNormText(norm, Op(norm.Mode)),
            OuterProduct outer => OuterProductText(outer.Matrix, outer.Source, StepScope.ValueText(graph, outer.Operand), outer.Transposed),
            _ => "",
        };
    }

    /// <summary><c>grad_W += d_gates_t x_t^T</c>; for a transposed product Wᵀ v, <c>grad_W += h_prev d_u_t^T</c>.</summary>
    public static string OuterProductText(ParameterDeclaration matrix, AdjointRange source, string operand, bool transposed) =>
        transposed
            ? $"{GeneratedNames.Gradient(matrix.Name)} += {operand} {StepScope.AdjointText(source)}^T"
            : $"{GeneratedNames.Gradient(matrix.Name)} += {StepScope.AdjointText(source)} {operand}^T";

    /// <summary>How a weight gradient summed over the window reads in comments.</summary>
    public static string OuterProductText(CellGraph graph, WindowOuterProduct product) =>
        OuterProductText(product.Matrix, product.Source, StepScope.ValueText(graph, product.Operand), product.Transposed);

    /// <summary><c>d_v_t = (1/σ) (g⊙d_y - mean(g⊙d_y) - x̂ mean(g⊙d_y⊙x̂)), grad_g += d_y⊙x̂</c>, with x̂ and 1/σ named after the statistics' local.</summary>
    private static string LayerNormText(LayerNormBackward norm, string op)
    {
        string dy = StepScope.AdjointText(norm.Source), g = norm.Gain.Name, xHat = "x̂", gradient = $"{GeneratedNames.Gradient(g)} += {dy} * {xHat}";
        return norm.Target is { } target
            ? $"{StepScope.AdjointText(target)} {op} (1/σ) * ({g} * {dy} - mean({g} * {dy}) - {xHat} * mean({g} * {dy} * {xHat})), {gradient} (x̂, 1/σ from {norm.Norm.StatisticsLocal})"
            : $"{gradient} (x̂ from {norm.Norm.StatisticsLocal})";
    }

    /// <summary>How a bias gradient summed over the window reads in comments: <c>grad_b += d_gates_t</c>.</summary>
    public static string SumText(WindowSum sum) => $"{GeneratedNames.Gradient(sum.Vector.Name)} += {StepScope.AdjointText(sum.Source)}";
}
