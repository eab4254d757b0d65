using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Sample.Cells;

// The same Elman RNN generated twice, once per truncation length the sample compares.

/// <summary>An Elman RNN (1 input, 32 tanh hidden units, 1 output) unrolled over k2 = 8 steps.</summary>
[UnrolledCell(8)]
public partial class ElmanShort
{
    const int In = 1, H = 32, Out = 1;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>An Elman RNN (1 input, 32 tanh hidden units, 1 output) unrolled over k2 = 32 steps.</summary>
[UnrolledCell(32)]
public partial class ElmanLong
{
    const int In = 1, H = 32, Out = 1;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}
