using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells of StructGradientTests: the structural constructs of the cell language (the transposed product W.T * v),
// each in a small double-precision recurrent cell, k2 = 4, for the finite-difference checks; the batched path and the
// ONNX export are checked on the same cells.

/// <summary>
/// The antisymmetric RNN (Chang et al. 2019): one matrix read as W h and as Wᵀ h in the same sum, so its gradient
/// collects an outer product of each orientation; the previous state is the operand of both.
/// </summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class AntisymmetricRnnF64
{
    public const int In = 3, H = 5, Out = 2;
    const double Gamma = 0.1, Epsilon = 0.5;

    static void Equations([Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, H)] Mat W, [Parameter(H, In)] Mat V, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        h = h + Epsilon * tanh(W * h - W.T * h - Gamma * h + V * x + b);
        y = W_out * h;
    }
}

/// <summary>
/// Transposed products of every kind of operand, with non-square matrices: an input (Aᵀ x, A is 3 x 6: the window
/// product reads the recorded inputs), a previous state (Bᵀ h, B is 4 x 6) and a stored value (Cᵀ u, C is 6 x 4),
/// each result a different length from its operand.
/// </summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class TransposedOperandsF64
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(3, 6)] Mat A, [Parameter(4, 6)] Mat B, [Parameter(6)] Vec b_u, [Parameter(6, 4)] Mat C, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        var u = tanh(A.T * x + B.T * h + b_u);
        h = tanh(C.T * u + b);
        y = W_out * h;
    }
}

/// <summary>
/// Concatenations: one merged weight over [x; h] (the layout of PyTorch's and NAM's exports), and a concatenation of a
/// slice of the new state, a vector parameter and the whole new state, whose adjoint splits three ways (two of them
/// into the same state).
/// </summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class ConcatRnnF64
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 7)] Mat W, [Parameter(4)] Vec b, [Parameter(2)] Vec g, [Parameter(2, 8)] Mat W_out)
    {
        h = tanh(W * concat(x, h) + b);
        y = W_out * concat(h[..2], g, h);
    }
}

/// <summary>One merged weight over concat(x, h), and an output over concat(h, x): what the ONNX export writes as Concat.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class MergedWeightRnnF64
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 7)] Mat W, [Parameter(4)] Vec b, [Parameter(2, 7)] Mat W_out)
    {
        h = tanh(W * concat(x, h) + b);
        y = W_out * concat(h, x);
    }
}

/// <summary>The antisymmetric RNN in single precision, for the allocation test.</summary>
[UnrolledCell(8)]
public partial class AntisymmetricRnnF32
{
    public const int In = 3, H = 16, Out = 2;
    const double Gamma = 0.1, Epsilon = 0.5;

    static void Equations([Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, H)] Mat W, [Parameter(H, In)] Mat V, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        h = h + Epsilon * tanh(W * h - W.T * h - Gamma * h + V * x + b);
        y = W_out * h;
    }
}
