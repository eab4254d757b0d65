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
