using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Renders an equation with the names of the generated locals, so a comment reads like the math it
/// implements: <c>h_t = tanh(W_ih * x_t + W_hh * h_prev + b_h)</c>.
/// </summary>
internal static class MathText
{
    private const int SumLevel = 0, ProductLevel = 1, AtomLevel = 2;

    public static string Statement(Statement statement, CellGraph graph) =>
        graph.ValueOf(statement.Name).Local + " = " + Render(statement.Value, graph, SumLevel);

    public static string Expression(Expr expr, CellGraph graph) => Render(expr, graph, SumLevel);

    /// <summary>The forward equation a node implements, with the step's local names: <c>c_t = f_t * c_prev + i_t * g_t</c>.</summary>
    public static string Equation(Node node, CellGraph graph) => node.Statement is { } statement && graph.ValueOf(statement.Name) == node
        ? Statement(statement, graph)
        : node.Local + " = " + (node.Source is { } source ? Expression(source, graph) : node.Children[0].Local);

    private static string Render(Expr expr, CellGraph graph, int required)
    {
        var (text, level) = expr switch
        {
            InputRef input => (GeneratedNames.AtStep(input.Name), AtomLevel),
            PreviousRef previous => (GeneratedNames.Previous(previous.Name), AtomLevel),
            ParameterRef parameter => (parameter.Name, AtomLevel),
            ValueRef value => (graph.ValueOf(value.Name).Local ?? value.Name, AtomLevel),
            MatVecExpr matVec => (matVec.Matrix + " * " + Render(matVec.Vector, graph, AtomLevel), ProductLevel),
            TransposedMatVecExpr transposed => (transposed.Matrix + "^T * " + Render(transposed.Vector, graph, AtomLevel), ProductLevel),
            ElementwiseExpr { Op: ElementwiseOp.Multiply or ElementwiseOp.Divide } product =>
                (Render(product.Left, graph, ProductLevel) + (product.Op == ElementwiseOp.Multiply ? " * " : " / ") + Render(product.Right, graph, AtomLevel), ProductLevel),
            ElementwiseExpr { Op: ElementwiseOp.Maximum or ElementwiseOp.Minimum } extremum =>
                ((extremum.Op == ElementwiseOp.Maximum ? "max(" : "min(") + Render(extremum.Left, graph, SumLevel) + ", " + Render(extremum.Right, graph, SumLevel) + ")", AtomLevel),
            ElementwiseExpr sum => (Render(sum.Left, graph, SumLevel) + (sum.Op == ElementwiseOp.Add ? " + " : " - ") +
                                    Render(sum.Right, graph, sum.Op == ElementwiseOp.Add ? SumLevel : ProductLevel), SumLevel),
            AffineExpr affine => Affine(affine, graph),
            BroadcastExpr broadcast => (Render(broadcast.Scalar, graph, required), required),
            CallExpr call => (call.Primitive.Name + "(" + Render(call.Argument, graph, SumLevel) + ")", AtomLevel),
            ConcatExpr concat => ("concat(" + string.Join(", ", System.Linq.Enumerable.Select(concat.Parts, p => Render(p, graph, SumLevel))) + ")", AtomLevel),
            LayerNormExpr norm => ("layernorm(" + Render(norm.Operand, graph, SumLevel) + ", " + norm.Gain + ", " + norm.Bias + ", " + CSharp.MathLiteral(norm.Epsilon) + ")", AtomLevel),
            SliceExpr slice => (Render(slice.Source, graph, AtomLevel) + "[" + slice.Start + ".." + (slice.Start + slice.Length) + "]", AtomLevel),
            _ => (expr.Text, AtomLevel),
        };
        return level < required ? "(" + text + ")" : text;
    }

    private static (string Text, int Level) Affine(AffineExpr affine, CellGraph graph)
    {
        string scale = CSharp.MathLiteral(affine.Scale);
        string offset = CSharp.MathLiteral(System.Math.Abs(affine.Offset));
        string scaled = affine.Scale switch
        {
            1 => Render(affine.Operand, graph, affine.Offset == 0 ? AtomLevel : SumLevel),
            -1 when affine.Offset == 0 => "-" + Render(affine.Operand, graph, AtomLevel),
            -1 => Render(affine.Operand, graph, ProductLevel),
            _ => scale + " * " + Render(affine.Operand, graph, AtomLevel),
        };
        if (affine.Offset == 0)
        {
            return (scaled, affine.Scale == 1 ? AtomLevel : ProductLevel);
        }

        if (affine.Scale == -1)
        {
            return (CSharp.MathLiteral(affine.Offset) + " - " + scaled, SumLevel);
        }

        return (scaled + (affine.Offset > 0 ? " + " : " - ") + offset, SumLevel);
    }
}
