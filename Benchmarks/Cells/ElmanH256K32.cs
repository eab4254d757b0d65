using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Benchmarks.Cells;

/// <summary>The standard Elman RNN, tanh (input 16, hidden 256, output 4) unrolled over k2 = 32.</summary>
[UnrolledCell(32)]
public partial class ElmanH256K32
{
    const int In = 16, H = 256, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}
