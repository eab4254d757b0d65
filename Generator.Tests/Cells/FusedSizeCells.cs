using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells of FusedSizeTests: the Elman, LSTM and GRU at hidden sizes that take every path through a fused loop
// (1: the scalar tail alone; 7: Vector128 then the tail; 16, 32, 64: whole registers; 17, 31, 33: a register width
// then narrower ones and the tail), in double for the finite-difference checks and in single precision, as the
// real-time cells run, for the comparison with the naive references. In = 2, Out = 2, k2 = 3.

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH1F64
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH16F64
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH17F64
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH31F64
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH33F64
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedElmanH64F64
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH1F32
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH7F32
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH16F32
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH17F32
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH31F32
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH32F32
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH33F32
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedElmanH64F32
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH1F64
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH16F64
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH17F64
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH31F64
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH33F64
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedLstmH64F64
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH1F32
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH7F32
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH16F32
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH17F32
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH31F32
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH32F32
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH33F32
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Single)]
public partial class FusedLstmH64F32
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
        [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gates = W_ih * x + b_ih + W_hh * h + b_hh;
        var i = sigmoid(gates[..H]);
        var f = sigmoid(gates[H..(2 * H)]);
        var g = tanh(gates[(2 * H)..(3 * H)]);
        var o = sigmoid(gates[(3 * H)..]);
        c = f * c + i * g;
        h = o * tanh(c);
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH1F64
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH16F64
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH17F64
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH31F64
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH33F64
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class FusedGruH64F64
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(3 * H, In)] Mat W_ih, [Parameter(3 * H, H)] Mat W_hh, [Parameter(3 * H)] Vec b_ih, [Parameter(3 * H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        var gi = W_ih * x + b_ih;
        var gh = W_hh * h + b_hh;
        var r = sigmoid(gi[..H] + gh[..H]);
        var z = sigmoid(gi[H..(2 * H)] + gh[H..(2 * H)]);
        var n = tanh(gi[(2 * H)..] + r * gh[(2 * H)..]);
        h = (1 - z) * n + z * h;
        y = W_out * h + b_out;
    }
}
