using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// Single-precision cells at a realistic size (In = 16, H = 32, Out = 4, k2 = 32) for AllocationTests:
// after construction, Forward, Backward and Step must not allocate.

/// <summary>Elman (tanh) cell, float, In = 16, H = 32, Out = 4, k2 = 32.</summary>
[UnrolledCell(32)]
public partial class AllocationElman
{
    public const int In = 16, H = 32, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>PyTorch LSTM, float, In = 16, H = 32, Out = 4, k2 = 32.</summary>
[UnrolledCell(32)]
public partial class AllocationLstm
{
    public const int In = 16, H = 32, Out = 4;

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

/// <summary>PyTorch GRU (gates r, z, n), float, In = 16, H = 32, Out = 4, k2 = 32.</summary>
[UnrolledCell(32)]
public partial class AllocationGru
{
    public const int In = 16, H = 32, Out = 4;

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

/// <summary>The functions whose derivative reads the argument, and logsigmoid, float, In = 16, H = 32, Out = 4, k2 = 32.</summary>
[UnrolledCell(32)]
public partial class AllocationArgumentDerivatives
{
    public const int In = 16, H = 32, Out = 4;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b,
        [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = tanh(sin(a) * cos(h) + gelu(a) - 0.1 * square(a) + 0.5 * silu(abs(a)));
        y = logsigmoid(W_out * h);
    }
}
