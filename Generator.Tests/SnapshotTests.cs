using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests;

/// <summary>
/// The full generated source of the three standard cells, kept as *.verified.cs files, so that any change
/// in what users read (names, comments, order of the adjoint statements) is noticed and reviewed.
/// </summary>
public class SnapshotTests
{
    private const string Elman = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Snapshots;

        [UnrolledCell(4)]
        public partial class Elman
        {
            const int In = 3, H = 8, Out = 2;

            static void Equations(
                [Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
                [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_ih, [Parameter(H)] Vec b_hh,
                [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
            {
                h = tanh(W_ih * x + b_ih + W_hh * h + b_hh);
                y = W_out * h + b_out;
            }
        }
        """;

    private const string Lstm = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Snapshots;

        [UnrolledCell(4)]
        public partial class Lstm
        {
            const int In = 3, H = 8, Out = 2;

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
        """;

    private const string Gru = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Snapshots;

        [UnrolledCell(4)]
        public partial class Gru
        {
            const int In = 3, H = 8, Out = 2;

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
        """;

    public static TheoryData<string, string> Cells => new()
    {
        { "Elman", Elman },
        { "Lstm", Lstm },
        { "Gru", Gru },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Generated_source_matches_the_verified_snapshot(string name, string source)
    {
        var result = GeneratorHarness.Run(source);

        Assert.Empty(result.GeneratorDiagnostics);
        var generated = Assert.Single(result.GeneratedSources);
        Assert.Equal($"Snapshots.{name}.g.cs", generated.Key);
        Snapshot.Verify(name, generated.Value);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Generated_source_compiles_without_warnings(string name, string source)
    {
        var result = GeneratorHarness.Run(source);

        Assert.Contains($"Snapshots.{name}.g.cs", result.GeneratedSources.Keys);
        result.AssertCleanCompilation();
    }
}
