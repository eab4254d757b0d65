using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// Cells of PreparedInferenceTests beside FusedSizeCells (In = 2): odd inputs and FastActivations, whose stacked
// [W_ih W_hh]^T has an odd number of rows (3 + 17, 5 + 32, 3 + 33), in single and double precision.

[UnrolledCell(3, FastActivations = true)]
public partial class InferenceLstmI3H17Fast
{
    const int In = 3, H = 17, Out = 3;

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

[UnrolledCell(3, FastActivations = true)]
public partial class InferenceGruI5H32Fast
{
    const int In = 5, H = 32, Out = 4;

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

[UnrolledCell(3, Precision = Precision.Double, FastActivations = true)]
public partial class InferenceLstmI3H33FastF64
{
    const int In = 3, H = 33, Out = 5;

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

/// <summary>
/// One weight in two sums of products (W x + b_f and W x + b_i, as a fuzzed minLSTM wrote it): the snapshot holds a
/// stacked block for each, which the inference step must name apart (W_T, W_T_2); double, In = 3, H = 5.
/// </summary>
[UnrolledCell(4, Precision = Precision.Double)]
public partial class InferenceSharedWeightF64
{
    const int In = 3, H = 5;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(H)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H)] Vec b_f, [Parameter(H)] Vec b_i)
    {
        var f = sigmoid(W * x + b_f);
        var i = sigmoid(W * x + b_i);
        h = f * h + i;
        y = 2 * h;
    }
}
