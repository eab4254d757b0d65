using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Benchmarks.Cells;

/// <summary>The standard LSTM (input 16, hidden 64, output 4) unrolled over k2 = 32.</summary>
[UnrolledCell(32)]
public partial class LstmH64K32
{
    const int In = 16, H = 64, Out = 4;

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
