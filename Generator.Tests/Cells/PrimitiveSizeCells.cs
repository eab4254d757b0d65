using UnrolledRnn;
using static UnrolledRnn.CellMath;

namespace UnrolledRnn.Tests.Cells;

// The cells of PrimitiveSizeGradientTests: an Elman-like cell around each newer primitive at hidden sizes that take
// the fused loop (7: Vector128 then the scalar tail; 32: whole registers) and the kernel calls (128, above
// FusedLoop.MaxLength), in double for the finite-difference checks. In = 2, Out = 2, k2 = 3.

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SqrtH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = sqrt(a * a + 0.25);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SqrtH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = sqrt(a * a + 0.25);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SqrtH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = sqrt(a * a + 0.25);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class LogH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = log(a * a + 1);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class LogH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = log(a * a + 1);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class LogH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = log(a * a + 1);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class EluH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = elu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class EluH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = elu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class EluH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = elu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class AbsH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = tanh(abs(a) - 0.5 * a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class AbsH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = tanh(abs(a) - 0.5 * a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class AbsH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = tanh(abs(a) - 0.5 * a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SquareH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = tanh(square(a) - 0.5);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SquareH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = tanh(square(a) - 0.5);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SquareH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = tanh(square(a) - 0.5);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SinH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = sin(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SinH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = sin(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SinH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = sin(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class CosH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = cos(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class CosH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = cos(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class CosH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = cos(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SiluH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = silu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SiluH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = silu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class SiluH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = silu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class GeluH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = gelu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class GeluH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = gelu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class GeluH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = gelu(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class LogSigmoidH7F64
{
    public const int In = 2, H = 7, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = logsigmoid(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class LogSigmoidH32F64
{
    public const int In = 2, H = 32, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = logsigmoid(a);
        y = W_out * h;
    }
}

[UnrolledCell(3, Precision = Precision.Double)]
public partial class LogSigmoidH128F64
{
    public const int In = 2, H = 128, Out = 2;

    static void Equations(
        [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
        [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat W_out)
    {
        var a = W_ih * x + W_hh * h + b;
        h = logsigmoid(a);
        y = W_out * h;
    }
}
