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
            ApplyDerivative derivative => $"{StepScope.AdjointText(derivative.Target)} {Op(derivative.Mode)} {StepScope.AdjointText(derivative.Source)} * {KernelCall.Factor(derivative.Primitive.Derivative!, StepScope.ValueText(graph, derivative.Output))}",
            TransposedProduct transposed => $"{StepScope.AdjointText(transposed.Target)} {Op(transposed.Mode)} {transposed.Matrix.Name}^T {StepScope.AdjointText(transposed.Source)}",
            OuterProduct outer => OuterProductText(outer.Matrix, outer.Source, StepScope.ValueText(graph, outer.Operand)),
            _ => "",
        };
    }

    /// <summary><c>grad_W += d_gates_t x_t^T</c>.</summary>
    public static string OuterProductText(ParameterDeclaration matrix, AdjointRange source, string operand) =>
        $"{GeneratedNames.Gradient(matrix.Name)} += {StepScope.AdjointText(source)} {operand}^T";

    /// <summary>How a bias gradient summed over the window reads in comments: <c>grad_b += d_gates_t</c>.</summary>
    public static string SumText(WindowSum sum) => $"{GeneratedNames.Gradient(sum.Vector.Name)} += {StepScope.AdjointText(sum.Source)}";
}
