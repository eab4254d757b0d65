using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells that PyTorch/PyTorchParityTests load the PyTorch fixtures into (Fixtures/PyTorch, written by
// tools/pytorch/reference.py): nn.RNN (tanh, relu), nn.LSTM and nn.GRU, each with a linear head, as in
// docs/equations.md, at the fixtures' two sizes, in float and double.

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="tanh")</c> with an <c>nn.Linear</c> head; single precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Single)]
public partial class TorchRnnTanhSmallF32
{
    const int In = 3, H = 5, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="relu")</c> with an <c>nn.Linear</c> head; single precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Single)]
public partial class TorchRnnReluSmallF32
{
    const int In = 3, H = 5, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = relu(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.LSTM</c> (gates i, f, g, o) with an <c>nn.Linear</c> head; single precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Single)]
public partial class TorchLstmSmallF32
{
    const int In = 3, H = 5, Out = 2;

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

/// <summary>PyTorch's <c>nn.GRU</c> (gates r, z, n) with an <c>nn.Linear</c> head; single precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Single)]
public partial class TorchGruSmallF32
{
    const int In = 3, H = 5, Out = 2;

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

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="tanh")</c> with an <c>nn.Linear</c> head; double precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class TorchRnnTanhSmallF64
{
    const int In = 3, H = 5, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="relu")</c> with an <c>nn.Linear</c> head; double precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class TorchRnnReluSmallF64
{
    const int In = 3, H = 5, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = relu(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.LSTM</c> (gates i, f, g, o) with an <c>nn.Linear</c> head; double precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class TorchLstmSmallF64
{
    const int In = 3, H = 5, Out = 2;

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

/// <summary>PyTorch's <c>nn.GRU</c> (gates r, z, n) with an <c>nn.Linear</c> head; double precision, In = 3, H = 5, Out = 2, k2 = 4.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class TorchGruSmallF64
{
    const int In = 3, H = 5, Out = 2;

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

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="tanh")</c> with an <c>nn.Linear</c> head; single precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Single)]
public partial class TorchRnnTanhLargeF32
{
    const int In = 16, H = 32, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="relu")</c> with an <c>nn.Linear</c> head; single precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Single)]
public partial class TorchRnnReluLargeF32
{
    const int In = 16, H = 32, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = relu(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.LSTM</c> (gates i, f, g, o) with an <c>nn.Linear</c> head; single precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Single)]
public partial class TorchLstmLargeF32
{
    const int In = 16, H = 32, Out = 4;

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

/// <summary>PyTorch's <c>nn.GRU</c> (gates r, z, n) with an <c>nn.Linear</c> head; single precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Single)]
public partial class TorchGruLargeF32
{
    const int In = 16, H = 32, Out = 4;

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

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="tanh")</c> with an <c>nn.Linear</c> head; double precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Double)]
public partial class TorchRnnTanhLargeF64
{
    const int In = 16, H = 32, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.RNN(nonlinearity="relu")</c> with an <c>nn.Linear</c> head; double precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Double)]
public partial class TorchRnnReluLargeF64
{
    const int In = 16, H = 32, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = relu(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch's <c>nn.LSTM</c> (gates i, f, g, o) with an <c>nn.Linear</c> head; double precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Double)]
public partial class TorchLstmLargeF64
{
    const int In = 16, H = 32, Out = 4;

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

/// <summary>PyTorch's <c>nn.GRU</c> (gates r, z, n) with an <c>nn.Linear</c> head; double precision, In = 16, H = 32, Out = 4, k2 = 8.</summary>
[UnrolledCell(8, Precision = Precision.Double)]
public partial class TorchGruLargeF64
{
    const int In = 16, H = 32, Out = 4;

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
