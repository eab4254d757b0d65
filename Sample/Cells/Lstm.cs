using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Sample.Cells;

// The same LSTM generated twice: k2 is fixed when a cell is generated, so each truncation length the
// sample compares is its own class (see docs/training.md, "k2 is the cell's TruncationLength").

/// <summary>An LSTM (PyTorch gate layout i, f, g, o; 1 input, 32 hidden units, 1 output) unrolled over k2 = 8 steps.</summary>
[UnrolledCell(8)]
public partial class LstmShort
{
    const int In = 1, H = 32, Out = 1;

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

/// <summary>An LSTM (PyTorch gate layout i, f, g, o; 1 input, 32 hidden units, 1 output) unrolled over k2 = 32 steps.</summary>
[UnrolledCell(32)]
public partial class LstmLong
{
    const int In = 1, H = 32, Out = 1;

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
