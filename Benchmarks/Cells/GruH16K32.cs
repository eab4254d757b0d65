using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Benchmarks.Cells;

/// <summary>The standard GRU, PyTorch formulation (input 16, hidden 16, output 4) unrolled over k2 = 32.</summary>
[UnrolledCell(32)]
public partial class GruH16K32
{
    const int In = 16, H = 16, Out = 4;

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
