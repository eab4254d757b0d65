using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells of ShapeGradientTests for element-wise max(a, b) and min(a, b) at hidden sizes that take every vector-width
// path of the span kernels (1, 7, 16, 17, 31, 32, 33, 64), in double for the finite-difference checks. In = 2, Out = 2,
// k2 = 4. sLSTM's stabiliser m = max(log(f) + m, log(i)) (a state and two parameters' paths compared), min of a state
// and a broadcast [Parameter(1)] scalar (the scalar's adjoint sums the elements where it is selected), and exact ties
// max(a, a), min(a, a), where each operand gets half of the adjoint and the halves add up to the derivative 1.

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH1F64
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH16F64
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH17F64
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH31F64
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH33F64
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class ExtremumH64F64
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}

[UnrolledCell(4)]
public partial class ExtremumH17F32
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, In)] Mat W_a,
        [Parameter(1)] Vec s, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x);
        m = max(log(f) + m, log(i));
        var a = tanh(W_a * x + h);
        h = min(h, s) * f + max(a, a) * i + min(a, a) * 0.5 + exp(log(i) - m);
        y = W_out * h;
    }
}
