using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells of the training tests (Training/). The Elman and LSTM cells have the equations and parameter names
// of the naive references in Reference/, so that the brute-force references can run on the same parameters.

/// <summary>Elman with a linear read-out, double precision, k2 = 6: the exactness tests of TBPTT.</summary>
[UnrolledCell(6, Precision = Precision.Double)]
public partial class TrainingElman
{
    public const int In = 3, H = 5, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>The PyTorch LSTM with a linear read-out, double precision, k2 = 5: full BPTT against the naive LSTM.</summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class TrainingLstm
{
    public const int In = 3, H = 4, Out = 2;

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

/// <summary>A small Elman, double, k2 = 8: the ARTBP problem (one sequence of 8 steps, full BPTT in one window).</summary>
[UnrolledCell(8, Precision = Precision.Double)]
public partial class TrainingArtbpElman
{
    public const int In = 2, H = 4, Out = 1;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>The same Elman as <see cref="TrainingArtbpElman"/> with k2 = 4: plain TBPTT(4, 4) of the same mean length.</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class TrainingArtbpElmanK4
{
    public const int In = 2, H = 4, Out = 1;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
        [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
        y = W_out * h + b_out;
    }
}

/// <summary>A float LSTM, k2 = 16: learns to echo its input three steps late (the training-run test).</summary>
[UnrolledCell(16)]
public partial class TrainingEchoLstm
{
    public const int In = 1, H = 16, Out = 1;

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

/// <summary>A float LSTM of a realistic shape, k2 = 8: the trainer's allocation test.</summary>
[UnrolledCell(8)]
public partial class TrainingAllocationLstm
{
    public const int In = 4, H = 16, Out = 4;

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

/// <summary>A linear RNN, double, k2 = 4: nothing bounds its state, so a huge finite input overflows it (the state-restore tests).</summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class TrainingLinearRnn
{
    public const int In = 1, H = 3, Out = 1;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
    {
        h = W_hh * h + W_ih * x;
        y = W_out * h + b_out;
    }
}
