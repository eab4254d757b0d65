using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The shape constructs' one-operator cells, beside OperatorCells.cs (the ONNX operator test runs every Op* cell).

/// <summary>
/// Element-wise '/': minLSTM's normalisation f / (f + i) (the denominator read by two quotients), a state divided by a
/// positive expression of a parameter, and a division by a constant (a scale).
/// </summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpDivide
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 3)] Mat W_f, [Parameter(4, 3)] Mat W_i, [Parameter(4)] Vec c, [Parameter(2, 4)] Mat W_out)
    {
        var f = sigmoid(W_f * x);
        var i = sigmoid(W_i * x);
        h = f / (f + i) * h + i / (f + i) + h / (c * c + 1) / 2.0;
        y = W_out * h;
    }
}

/// <summary>
/// Scalars broadcast: a [Parameter(1)] on either side of '*' and '-' and as a term of a sum, a scalar input times a
/// vector, and a length-1 expression as a denominator.
/// </summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpBroadcast
{
    static void Equations([Input(3)] Vec x, [Input(1)] Vec dt, [State(4)] Vec h, [Output(2)] Vec y,
        [Parameter(4, 3)] Mat W, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(2, 4)] Mat W_out)
    {
        var f = sigmoid(W * x + beta);
        h = f * dt * h + alpha * tanh(W * x) - beta + h / (alpha * alpha + 1) / 2.0;
        y = W_out * h;
    }
}

/// <summary>
/// Element-wise max and min: sLSTM's stabiliser max(log(f) + m, log(i)) over a state, and min of a vector and a
/// broadcast [Parameter(1)] scalar on either side (ONNX Max and Min broadcast the [.., 1] scalar themselves).
/// </summary>
[UnrolledCell(5, Precision = Precision.Double)]
public partial class OpExtremum
{
    static void Equations([Input(3)] Vec x, [State(4)] Vec h, [State(4)] Vec m, [Output(2)] Vec y,
        [Parameter(4, 3)] Mat W_f, [Parameter(4, 3)] Mat W_i, [Parameter(1)] Vec s, [Parameter(2, 4)] Mat W_out)
    {
        var f = sigmoid(W_f * x);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        h = min(tanh(W_f * x) + h, s) * f + min(s, h) * exp(log(i) - m);
        y = W_out * h;
    }
}
