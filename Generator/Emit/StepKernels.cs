using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// What differs between the kernel calls of the single-stream step and of the batched step (B streams in lockstep,
/// <see cref="BatchedLayout"/>): how an offset or a length of the per-step layout is written, which kernel multiplies by
/// a weight matrix, and what the comments say about the streams. The statements themselves are written once, by
/// <see cref="ForwardKernelCalls"/> and <see cref="AdjointKernelCalls"/>.
/// </summary>
internal abstract class StepKernels
{
    /// <summary>One vector per value; products by the mat-vec kernels (<c>MatrixVector</c>).</summary>
    public static readonly StepKernels SingleStream = new SingleStreamKernels();

    /// <summary>A feature-major block of B streams per value; products by small matrix-matrix products (<c>BatchedProducts</c>).</summary>
    public static readonly StepKernels Batched = new BatchedKernels();

    /// <summary>An offset or a length of the per-step layout (of one stream), as the step writes it.</summary>
    public abstract string Scaled(int elements);

    /// <summary>destination = W operand, or destination += W operand when <paramref name="accumulate"/>.</summary>
    public abstract string Product(string t, ParameterDeclaration matrix, string weight, string operand, string destination, bool accumulate);

    /// <summary>target = W^T adjoint, or target += W^T adjoint when <paramref name="accumulate"/>.</summary>
    public abstract string TransposedProduct(string t, ParameterDeclaration matrix, string weight, string adjoint, string target, bool accumulate);

    /// <summary>gradient += left right^T (over every stream): the adjoint and the operand, or for Wᵀ v the operand and the adjoint.</summary>
    public abstract string OuterProduct(string t, ParameterDeclaration matrix, string gradient, string left, string right);

    /// <summary>Whether one call sums <paramref name="products"/> products with a weight and <paramref name="addends"/> stored vectors.</summary>
    public abstract bool SumsInOneCall(int products, int addends);

    /// <summary>destination = W1 v1 [+ W2 v2] [+ a1] [+ a2], by one call (only where <see cref="SumsInOneCall"/>).</summary>
    public abstract string Sum(string t, (ParameterDeclaration Matrix, string Weight, string Operand)[] products, string[] addends, string destination);

    /// <summary>destination = the scalar broadcast over every element (of every stream).</summary>
    public abstract string Broadcast(string t, string scalar, string destination);

    /// <summary>target = Σ source, or target += Σ source when <paramref name="accumulate"/> (per stream): the adjoint of a broadcast scalar.</summary>
    public abstract string SumOfElements(string t, string source, string target, bool accumulate);

    /// <summary>What the comment of the state adjoint's squared norm adds to its math; null: no comment.</summary>
    public abstract string? StateNormRemark { get; }

    /// <summary>What the comment of a weight gradient's outer product adds to its math.</summary>
    public abstract string OuterProductRemark { get; }
}
