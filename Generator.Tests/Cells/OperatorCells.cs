using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// One small double-precision cell per operator of the equation language, for OperatorGradientTests. Each
// cell needs a state and an output, so it is a tiny recurrent network built around the operator under
// test; the other operators in it are kept to the minimum (mostly a matrix-vector product that brings
// parameters in). Sizes are small (In = 3, H = 4) so that the finite-difference check is quick; k2 = 4 or 5.

/// <summary>Matrix-vector products: fused into a sum (W_hh * h + W_ih * x), alone (y = W_out * h), and chained.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpMatVec
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4, 4)] Mat W_u, [Parameter(2, 4)] Mat W_out)
    {
        var u = W_u * h;
        h = W_hh * u + W_ih * x;
        y = W_out * h;
    }
}

/// <summary>Element-wise '+': of a previous state, an input and a bias; the output adds a bias to the new state.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpAdd
{
    static void Equations([Input(4)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4)] Vec b, [Parameter(4)] Vec b_y)
    {
        h = h + x + b;
        y = h + b_y + h;
    }
}

/// <summary>Element-wise '-': vectors subtracted from vectors, including a parameter minus a state.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSubtract
{
    static void Equations([Input(4)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4)] Vec b, [Parameter(4)] Vec b_y)
    {
        h = x - h - b;
        y = b_y - h;
    }
}

/// <summary>Element-wise '*': a product alone, a product read twice (h * h), and products summed.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpMultiply
{
    static void Equations([Input(4)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4)] Vec w, [Parameter(4)] Vec b)
    {
        h = h * x + b;
        y = h * h + w * h;
    }
}

/// <summary>The constant form '1 - z', on a previous state and on a new one.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpOneMinus
{
    static void Equations([Input(4)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4)] Vec b, [Parameter(4)] Vec w)
    {
        h = (1 - h) * x + b;
        y = 1 - w * h;
    }
}

/// <summary>Scaling by a constant, '2.5 * v' and 'v * 0.5', on its own and fused into a function.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpScale
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec w)
    {
        h = tanh((W_hh * h + W_ih * x) * 0.5);
        y = 2.5 * (w * h);
    }
}

/// <summary>Adding a constant, 'v + 0.5' and '0.5 + v'.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpAddConstant
{
    static void Equations([Input(4)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4)] Vec b, [Parameter(4)] Vec w)
    {
        h = (h + 0.5) * x + b;
        y = 0.5 + w * h;
    }
}

/// <summary>Subtracting a constant, 'v - 1'.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSubtractConstant
{
    static void Equations([Input(4)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4)] Vec b, [Parameter(4)] Vec w)
    {
        h = (h - 1) * x + b;
        y = w * h - 1;
    }
}

/// <summary>Unary minus: on a previous state inside a product, and on a new state.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpNegate
{
    static void Equations([Input(4)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4)] Vec b, [Parameter(4)] Vec w)
    {
        h = -h * x + b;
        y = -(w * h);
    }
}

/// <summary>tanh: of a fused sum (the Elman step) and of a stored state.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpTanh
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b)
    {
        h = tanh(W_hh * h + W_ih * x + b);
        y = tanh(h);
    }
}

/// <summary>sigmoid: of a fused sum and of a fused matrix-vector product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSigmoid
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = sigmoid(W_hh * h + W_ih * x + b);
        y = sigmoid(W_out * h);
    }
}

/// <summary>relu: with random parameters no pre-activation comes within the difference step of the kink at 0.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpRelu
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out, [Parameter(2)] Vec b_out)
    {
        h = relu(W_hh * h + W_ih * x + b);
        y = relu(W_out * h + b_out);
    }
}

/// <summary>identity: of a fused sum, and of a stored state (a copy).</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpIdentity
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b)
    {
        h = identity(W_hh * h + W_ih * x + b);
        y = identity(h);
    }
}

/// <summary>exp: 'exp(...) - 1' keeps the state near its fixed point 0; the output is exp of a small product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpExp
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = exp(W_hh * h + W_ih * x + b) - 1;
        y = exp(W_out * h);
    }
}

/// <summary>softplus: of a fused sum and of a fused matrix-vector product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSoftplus
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = softplus(W_hh * h + W_ih * x + b);
        y = softplus(W_out * h);
    }
}

/// <summary>sqrt: of a fused sum kept positive (a² + 1/4), and of a kernel's output (exp of a product).</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSqrt
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        var a = W_hh * h + W_ih * x + b;
        h = sqrt(a * a + 0.25);
        y = sqrt(exp(W_out * h));
    }
}

/// <summary>log: of a fused sum kept positive (a² + 1, whose log has slope at most 1, so that 100 streamed steps do
/// not amplify rounding beyond the ONNX test's tolerance), and of a kernel's output (sigmoid of a product).</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpLog
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        var a = W_hh * h + W_ih * x + b;
        h = log(a * a + 1);
        y = log(sigmoid(W_out * h));
    }
}

/// <summary>elu: of a fused sum, and of a matrix-vector product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpElu
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = elu(W_hh * h + W_ih * x + b);
        y = elu(W_out * h);
    }
}

/// <summary>logsigmoid: of a fused sum, and of a matrix-vector product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpLogSigmoid
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = logsigmoid(W_hh * h + W_ih * x + b);
        y = logsigmoid(W_out * h);
    }
}

/// <summary>abs (derivative of the argument): of a sum that would otherwise be fused (now stored), of a named local
/// also read elsewhere, and of a slice of the previous state.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpAbs
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        var a = W_hh * h + W_ih * x + b;
        h = tanh(abs(a) - 0.5 * a);
        y = abs(W_out * h) + abs(h[1..3]);
    }
}

/// <summary>square: of a fused sum (stored), and of a matrix-vector product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSquare
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = tanh(0.5 * square(W_hh * h + W_ih * x + b) - 0.25);
        y = square(W_out * h);
    }
}

/// <summary>sin and cos: of a fused sum (stored), of the previous state itself, and of a matrix-vector product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSinCos
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = sin(W_hh * h + W_ih * x + b) + 0.5 * cos(h);
        y = cos(W_out * h);
    }
}

/// <summary>silu: of a fused sum (stored), and of a matrix-vector product.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpSilu
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = silu(W_hh * h + W_ih * x + b);
        y = silu(W_out * h);
    }
}

/// <summary>gelu (tanh form): of a fused sum (stored), and of a product with an input slice.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpGelu
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        h = gelu(W_hh * h + W_ih * x + b);
        y = gelu(W_out * h) * x[..2];
    }
}

/// <summary>Disjoint slices that cover a value (the gates of an LSTM), and a slice of a slice.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpDisjointSlices
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(12, 3)] Mat W_ih, [Parameter(12, 4)] Mat W_hh, [Parameter(12)] Vec b)
    {
        var gates = W_ih * x + W_hh * h + b;
        var a = sigmoid(gates[..4]);
        var rest = gates[4..];
        var g = tanh(rest[..4]);
        h = a * g + rest[4..];
        y = h[1..3];
    }
}

/// <summary>Overlapping slices of a stored value, a value read both whole and sliced, and a slice of a parameter vector.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpOverlappingSlices
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(4)] Vec y,
        [Parameter(6, 3)] Mat W_ih, [Parameter(6, 4)] Mat W_hh, [Parameter(6)] Vec b)
    {
        var u = tanh(W_ih * x + W_hh * h + b);
        h = u[..4] * u[2..];
        y = u[1..5] + h * b[2..];
    }
}

/// <summary>
/// Slices of states: of the previous state, disjoint (h[..2], h[2..]) and partial (c[..2] alone, so the rest of
/// c_{t-1} reaches nothing), and overlapping slices of a new state in the output; also a slice of an input.
/// </summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpStateSlices
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [State(4)] Vec c, [Output(2)] Vec y,
        [Parameter(4, 2)] Mat W_top, [Parameter(4, 2)] Mat W_bottom, [Parameter(4, 2)] Mat W_ih, [Parameter(4, 2)] Mat W_c)
    {
        c = tanh(W_top * h[..2] + W_bottom * h[2..] + W_c * c[..2]);
        h = tanh(W_ih * x[1..] + c);
        y = h[..2] * h[1..3] + c[2..];
    }
}

/// <summary>Copies: an output assigned a state (y = h), a state assigned a local, a state assigned a slice.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpCopy
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [State(2)] Vec c, [Output(4)] Vec y,
        [Parameter(4, 4)] Mat W_hh, [Parameter(4, 3)] Mat W_ih, [Parameter(4, 2)] Mat W_c)
    {
        var u = tanh(W_hh * h + W_ih * x + W_c * c);
        h = u;
        c = u[1..3];
        y = h;
    }
}

/// <summary>tanh and sigmoid with FastActivations (rational approximations): the LSTM's gate structure.</summary>
[UnrolledCell(5, Precision = Precision.Double, FastActivations = true)]
public partial class OpFastActivations
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [State(4)] Vec c, [Output(2)] Vec y,
        [Parameter(12, 4)] Mat W_hh, [Parameter(12, 3)] Mat W_ih, [Parameter(12)] Vec b, [Parameter(2, 4)] Mat W_out)
    {
        var gates = W_hh * h + W_ih * x + b;
        var i = sigmoid(gates[..4]);
        var g = tanh(gates[4..8]);
        var o = sigmoid(gates[8..]);
        c = c + i * g;
        h = o * tanh(c);
        y = W_out * h;
    }
}
