using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells of LayerNormGradientTests: the fused layernorm(v, gain, bias, eps) in small double-precision recurrent
// cells, k2 = 4, at the sizes that matter to a kernel (1, 7, 16, 17, 33), for the finite-difference checks; the
// batched path, the prepared stream and the ONNX export are checked on the same cells. Their eps are powers of two
// (2^-17 ≈ 7.6e-6, 2^-10 ≈ 9.8e-4), exact in float: ONNX's LayerNormalization takes eps as a float attribute, so
// the export of a double cell whose eps is not a float differs from Step by that rounding (about 1e-11 relative).

/// <summary>
/// A layer-normalised RNN of H = 7: the norm of a stored sum (its adjoint assigned by the norm's backward), and a norm
/// of the input (which receives no adjoint: only the gain's and the bias's gradients).
/// </summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class LayerNormRnn7F64
{
    static void Equations([Input(7)] Vec x, [State(7)] Vec h, [Output(2)] Vec y,
        [Parameter(7, 7)] Mat W, [Parameter(7, 7)] Mat U, [Parameter(7)] Vec g, [Parameter(7)] Vec b,
        [Parameter(7)] Vec g_x, [Parameter(7)] Vec b_x, [Parameter(2, 7)] Mat W_out)
    {
        var a = W * layernorm(x, g_x, b_x, 1.0 / 1024) + U * h;
        h = tanh(layernorm(a, g, b, 1.0 / 131072));
        y = W_out * h;
    }
}

/// <summary>A layer-normalised RNN of H = 16 (two 8-wide double registers): the norm of the new state feeds the output.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class LayerNormRnn16F64
{
    static void Equations([Input(3)] Vec x, [State(16)] Vec h, [Output(2)] Vec y,
        [Parameter(16, 3)] Mat W, [Parameter(16, 16)] Mat U, [Parameter(16)] Vec g, [Parameter(16)] Vec b, [Parameter(2, 16)] Mat W_out)
    {
        h = tanh(layernorm(W * x + U * h, g, b, 1.0 / 131072));
        y = W_out * h;
    }
}

/// <summary>H = 17: one element past a register multiple; the norm's operand (the previous state) is also read directly.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class LayerNormRnn17F64
{
    static void Equations([Input(3)] Vec x, [State(17)] Vec h, [Output(2)] Vec y,
        [Parameter(17, 3)] Mat W, [Parameter(17, 17)] Mat U, [Parameter(17)] Vec g, [Parameter(17)] Vec b, [Parameter(2, 17)] Mat W_out)
    {
        h = 0.5 * h + 0.5 * tanh(W * x + U * layernorm(h, g, b, 1.0 / 131072));
        y = W_out * h;
    }
}

/// <summary>H = 33, the norm assigned to the state itself (its adjoint arrives from the next step and from the output).</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class LayerNormRnn33F64
{
    static void Equations([Input(3)] Vec x, [State(33)] Vec h, [Output(2)] Vec y,
        [Parameter(33, 3)] Mat W, [Parameter(33, 33)] Mat U, [Parameter(33)] Vec g, [Parameter(33)] Vec b, [Parameter(2, 33)] Mat W_out)
    {
        h = layernorm(tanh(W * x + U * h), g, b, 1.0 / 131072);
        y = W_out * h;
    }
}

/// <summary>
/// A norm of one element: v - mean(v) = 0, so y = bias whatever v is (as PyTorch's layer_norm over one element); the
/// operand's adjoint is 0 and the gain's gradient 0 (x̂ = 0). The other path carries the state.
/// </summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class LayerNormRnn1F64
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 3)] Mat W, [Parameter(4, 4)] Mat U, [Parameter(1)] Vec g, [Parameter(1)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        var n = layernorm(h[..1], g, b, 1.0 / 131072);
        h = tanh(W * x + U * h) * concat(n, h[1..]);
        y = W_out * h;
    }
}

/// <summary>
/// The layer-normalised LSTM of Ba, Kiros and Hinton (2016, section 6): the input and the recurrent pre-activations
/// normalised separately, each with its gain and bias, then the cell state before its tanh. Gate order i, f, g, o;
/// eps = 1e-5 as PyTorch's default (tools/pytorch/example_cells.py), so its ONNX export differs from Step by eps's
/// rounding to float.
/// </summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class LayerNormLstmF64
{
    public const int In = 3, H = 4, Out = 2;
    const double Eps = 1e-5;

    static void Equations([Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b,
        [Parameter(4 * H)] Vec g_x, [Parameter(4 * H)] Vec s_x, [Parameter(4 * H)] Vec g_h, [Parameter(4 * H)] Vec s_h,
        [Parameter(H)] Vec g_c, [Parameter(H)] Vec s_c, [Parameter(Out, H)] Mat W_y)
    {
        var a = layernorm(W_ih * x, g_x, s_x, Eps) + layernorm(W_hh * h, g_h, s_h, Eps) + b;
        var i = sigmoid(a[..H]);
        var f = sigmoid(a[H..(2 * H)]);
        var g = tanh(a[(2 * H)..(3 * H)]);
        var o = sigmoid(a[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(layernorm(c, g_c, s_c, Eps));
        y = W_y * h;
    }
}

/// <summary>The layer-normalised RNN of H = 16 in single precision, for the allocation and JIT tests.</summary>
[UnrolledCell(8)]
public partial class LayerNormRnnF32
{
    static void Equations([Input(3)] Vec x, [State(16)] Vec h, [Output(2)] Vec y,
        [Parameter(16, 3)] Mat W, [Parameter(16, 16)] Mat U, [Parameter(16)] Vec g, [Parameter(16)] Vec b, [Parameter(2, 16)] Mat W_out)
    {
        h = tanh(layernorm(W * x + U * h, g, b, 1e-5));
        y = W_out * h;
    }
}
