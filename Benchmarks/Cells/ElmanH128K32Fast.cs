using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Benchmarks.Cells;

/// <summary>The standard Elman RNN, tanh (input 16, hidden 128, output 4) unrolled over k2 = 32. With FastActivations: tanh and sigmoid as rational approximations, as in the hand-written reference of docs/performance.md.</summary>
[UnrolledCell(32, FastActivations = true)]
public partial class ElmanH128K32Fast
{
    const int In = 16, H = 128, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}
