using System.Globalization;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>The single-stream step's kernels: every value one vector, every product with a weight a mat-vec kernel.</summary>
internal sealed class SingleStreamKernels : StepKernels
{
    public override string Scaled(int elements) => elements.ToString(CultureInfo.InvariantCulture);

    public override string Product(string t, ParameterDeclaration matrix, string weight, string operand, string destination, bool accumulate) =>
        $"MatrixVector.{(accumulate ? "MultiplyAdd" : "Multiply")}<{t}>({weight}, {matrix.Rows}, {matrix.Columns}, {operand}, {destination})";

    public override string TransposedProduct(string t, ParameterDeclaration matrix, string weight, string adjoint, string target, bool accumulate) =>
        $"MatrixVector.{(accumulate ? "TransposedMultiplyAdd" : "TransposedMultiply")}<{t}>({weight}, {matrix.Rows}, {matrix.Columns}, {adjoint}, {target})";

    public override string OuterProduct(string t, ParameterDeclaration matrix, string gradient, string left, string right) =>
        $"MatrixVector.AddOuterProduct<{t}>({gradient}, {matrix.Rows}, {matrix.Columns}, {left}, {right})";

    /// <summary><c>MatrixVector.MultiplySum</c>: one or two products and at most two stored vectors, at least two terms.</summary>
    public override bool SumsInOneCall(int products, int addends) => addends <= 2 && (products == 2 || (products == 1 && addends > 0));

    public override string Sum(string t, (ParameterDeclaration Matrix, string Weight, string Operand)[] products, string[] addends, string destination)
    {
        // The second product has no row count: both products write the destination's rows.
        string Product(int i) => i < products.Length
            ? $"{products[i].Weight}, {(i == 0 ? products[i].Matrix.Rows + ", " : "")}{products[i].Matrix.Columns}, {products[i].Operand}"
            : "default, 0, default";
        string Addend(int i) => i < addends.Length ? addends[i] : "default";
        return products.Length == 1 && addends.Length == 1
            ? $"MatrixVector.MultiplySum<{t}>({Product(0)}, {Addend(0)}, {destination})"
            : $"MatrixVector.MultiplySum<{t}>({Product(0)}, {Product(1)}, {Addend(0)}, {Addend(1)}, {destination})";
    }

    public override string Broadcast(string t, string scalar, string destination) => $"{destination}.Fill({scalar}[0])";

    public override string SumOfElements(string t, string source, string target, bool accumulate) =>
        $"{target}[0] {(accumulate ? "+=" : "=")} TensorPrimitives.Sum<{t}>({source})";

    public override string? StateNormRemark => null;

    public override string OuterProductRemark => "";
}
