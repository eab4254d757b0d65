using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// The batched step's kernels: every value a feature-major block of B streams (<see cref="BatchedLayout"/>), every
/// product with a weight one small matrix-matrix product over the streams (<c>BatchedProducts</c>).
/// </summary>
internal sealed class BatchedKernels : StepKernels
{
    public override string Scaled(int elements) => BatchedLayout.Scaled(elements);

    /// <summary>W (rows x columns) times the operand's block (columns x batch).</summary>
    public override string Product(string t, ParameterDeclaration matrix, string weight, string operand, string destination, bool accumulate) =>
        $"BatchedProducts.{(accumulate ? "MultiplyAdd" : "Multiply")}<{t}>({weight}, {matrix.Rows}, {matrix.Columns}, {operand}, {BatchedLayout.Batch}, {destination})";

    public override string TransposedProduct(string t, ParameterDeclaration matrix, string weight, string adjoint, string target, bool accumulate) =>
        $"BatchedProducts.{(accumulate ? "TransposedMultiplyAdd" : "TransposedMultiply")}<{t}>({weight}, {matrix.Rows}, {matrix.Columns}, {adjoint}, {BatchedLayout.Batch}, {target})";

    /// <summary>The left block (rows x batch) times the right block (columns x batch) transposed: the sum over the streams.</summary>
    public override string OuterProduct(string t, ParameterDeclaration matrix, string gradient, string left, string right) =>
        $"BatchedProducts.AddTransposedProducts<{t}>({gradient}, {matrix.Rows}, {matrix.Columns}, 1, {left}, 0, {right}, 0, {BatchedLayout.Batch})";

    /// <summary>No batched kernel sums several products and vectors in one call.</summary>
    public override bool SumsInOneCall(int products, int addends) => false;

    public override string Sum(string t, (ParameterDeclaration Matrix, string Weight, string Operand)[] products, string[] addends, string destination) =>
        throw new System.InvalidOperationException("No batched kernel sums in one call.");

    /// <summary>The scalar's row (one value per stream) repeated for every element.</summary>
    public override string Broadcast(string t, string scalar, string destination) => $"BatchedRows.RepeatRow<{t}>({scalar}, {destination})";

    public override string SumOfElements(string t, string source, string target, bool accumulate) =>
        $"BatchedRows.SumRows<{t}>({source}, {target}, accumulate: {(accumulate ? "true" : "false")})";

    public override string StateNormRemark => "every stream";

    public override string OuterProductRemark => ", summed over the streams";
}
