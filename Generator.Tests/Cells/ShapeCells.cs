using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells of ShapeGradientTests: element-wise division a / b (minLSTM's f / (f + i)) at hidden sizes that take every
// register width of the fused loops and the span kernels (1: scalar; 7: Vector128 and the scalar tail; 16, 32, 64:
// whole registers; 17, 31, 33: a scalar tail or an overlapping last vector; 64: kernel calls, above FusedLoop.MaxLength),
// in double for the finite-difference checks. In = 2, Out = 2, k2 = 4.
//
// Every adjoint form of the quotient is reached: the numerator's adjoint assigned (i / d) and accumulated (f, read by
// f / d and by d = f + i), the denominator's assigned (d, first read by f / d) and accumulated (d, read by i / d too),
// a parameter in a denominator (c * c + 1, kept positive), a previous state as numerator, and a division by a
// constant (an affine scale).

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH1F64
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH16F64
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH17F64
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH31F64
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH33F64
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class DivideH64F64
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

/// <summary>The same cell in float at H = 17 (Vector512 or 256 passes and a tail): the register forms of the quotient in float.</summary>
[UnrolledCell(4)]
public partial class DivideH17F32
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_f, [Parameter(H, H)] Mat U_f, [Parameter(H, In)] Mat W_i, [Parameter(H, H)] Mat U_i,
        [Parameter(H, In)] Mat W_c, [Parameter(H)] Vec c, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W_f * x + U_f * h);
        var i = sigmoid(W_i * x + U_i * h);
        var d = f + i;
        h = f / d * h + i / d * tanh(W_c * x) + h / (c * c + 1) / 4.0;
        y = W_out * h;
    }
}

// Scalars broadcast in element-wise arithmetic (CfC's [Input(1)] Vec dt): a scalar input times a vector, a scalar
// parameter on either side of '*' and '-', added as a term of a sum (fused with products), and a scalar expression
// (alpha * alpha + 1, computed at length 1) as a denominator.

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH1F64
{
    public const int In = 2, H = 1, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH16F64
{
    public const int In = 2, H = 16, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH17F64
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH31F64
{
    public const int In = 2, H = 31, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH33F64
{
    public const int In = 2, H = 33, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

[UnrolledCell(4, Precision = Precision.Double)]
public partial class BroadcastH64F64
{
    public const int In = 2, H = 64, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}

/// <summary>The broadcasting cell in float at H = 17, for the allocation test.</summary>
[UnrolledCell(4)]
public partial class BroadcastH17F32
{
    public const int In = 2, H = 17, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [Input(1)] Vec dt, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(1)] Vec alpha, [Parameter(1)] Vec beta, [Parameter(Out, H)] Mat W_out)
    {
        var f = sigmoid(W * x + U * h + beta);
        var decay = sigmoid(-f * dt);
        h = decay * h + (1 - decay) * tanh(alpha * (U * h) - beta) + h / (alpha * alpha + 1) / 4.0;
        y = W_out * h;
    }
}
