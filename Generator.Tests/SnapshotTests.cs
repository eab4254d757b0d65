using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

    /// <summary>The layer-normalised LSTM of Ba, Kiros and Hinton (2016), as Cells/LayerNormCells.cs declares it in double.</summary>
    private const string LayerNormLstm = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Snapshots;

        [UnrolledCell(4)]
        public partial class LayerNormLstm
        {
            const int In = 3, H = 8, Out = 2;
            const double Eps = 1e-5;

            static void Equations([Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(Out)] Vec y,
                [Parameter(4 * H, In)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b,
                [Parameter(4 * H)] Vec g_x, [Parameter(4 * H)] Vec s_x, [Parameter(4 * H)] Vec g_h, [Parameter(4 * H)] Vec s_h,
                [Parameter(H)] Vec g_c, [Parameter(H)] Vec s_c, [Parameter(Out, H)] Mat W_y)
            {
                var a = layernorm(W_ih * x, g_x, s_x, Eps) + layernorm(W_hh * h, g_h, s_h, Eps) + b;
                var i = sigmoid(a[..H]);
                var f = sigmoid(a[H..(2 * H)]);
                var g = tanh(a[(2 * H)..(3 * H)]);
                var o = sigmoid(a[(3 * H)..]);
                c = f * c + i * g;
                h = o * tanh(layernorm(c, g_c, s_c, Eps));
                y = W_y * h;
            }
        }
        """;

    public static TheoryData<string, string> Cells => new()
    {
        { "LayerNormLstm", LayerNormLstm },
        { "Elman", Elman },
        { "Lstm", Lstm },
        { "Gru", Gru },
        { "LstmH32", LstmH32 },
        { "LstmH32Fast", LstmH32Fast },
    };

    /// <summary>The LSTM at H = 32, a size real-time code runs: its element-wise chains are fused loops.</summary>
    private static readonly string LstmH32 = Lstm.Replace("class Lstm", "class LstmH32").Replace("H = 8", "H = 32");

    private static readonly string LstmH32Fast = LstmH32.Replace("class LstmH32", "class LstmH32Fast").Replace("[UnrolledCell(4)]", "[UnrolledCell(4, FastActivations = true)]");

    /// <summary>
    /// At H = 32 the element-wise chains of each step are fused loops with the values in registers, each headed by the
    /// equations (forward) or the blocks of the derivation (backward) it computes; what stays a kernel call is the
    /// 128-element bias add of the gates (longer than FusedLoop.MaxLength) and, without FastActivations, the accurate
    /// tanh and sigmoid (PrimitiveTable: measured slower in registers).
    /// </summary>
    [Fact]
    public void LstmH32_steps_are_fused_loops_headed_by_their_equations()
    {
        var result = GeneratorHarness.Run(LstmH32Fast);
        result.AssertCleanCompilation();
        string source = Assert.Single(result.GeneratedSources).Value;
        string forward = Method(source, "ForwardStep"), backward = Method(source, "BackwardStep");

        Assert.DoesNotContain("Activations.", forward);
        Assert.DoesNotContain("Activations.", backward);
        AssertInOrder(forward,
            "MatrixVector.MultiplySum<float>(W_ih, 128, 3, x_t, W_hh, 32, h_prev, b_ih, b_hh, gates_t);",
            "// i_t = sigmoid(gates_t[0..32])", "// c_t = f_t * c_prev + i_t * g_t", "// h_t = o_t * tanh(c_t)",
            "// one fused loop over 32 elements, the values in registers; rational approximations (FastActivations)",
            "var v_i_t = Registers.FastSigmoid(Registers.Load512<float>(gates_t, j));",
            "var v_c_t = (v_f_t * Registers.Load512<float>(c_prev, j)) + (v_i_t * v_g_t);",
            "var v_h_t = v_o_t * v_tanh_c_t;");
        AssertInOrder(backward,
            "// grad of: h_t = o_t * tanh(c_t)", "//   d_o_t = d_h_t * tanh_c_t",
            "// grad of: c_t = f_t * c_prev + i_t * g_t", "//   d_c_prev = d_c_t * f_t",
            "// one fused loop over 32 elements, the values in registers",
            "v_d_c_t = v_d_c_t + Registers.TanhBackward(v_tanh_c_t, v_d_tanh_c_t);",
            "Registers.Store(Registers.SigmoidBackward(v_i_t, v_d_i_t), d_gates_t, j);");
    }

    private static void AssertInOrder(string text, params string[] parts)
    {
        int at = 0;
        foreach (string part in parts)
        {
            int found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' is not in the method after position {at}:\n{text}");
            at = found + part.Length;
        }
    }

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

    /// <summary>
    /// FastActivations has a snapshot of its own; it changes the forward calls of tanh and sigmoid, not the backward
    /// step, which differentiates the exact functions at the recorded outputs.
    /// </summary>
    [Fact]
    public void FastActivations_Lstm_matches_its_own_snapshot_and_keeps_the_backward_step()
    {
        var fastResult = GeneratorHarness.Run(Lstm.Replace("[UnrolledCell(4)]", "[UnrolledCell(4, FastActivations = true)]"));
        fastResult.AssertCleanCompilation();
        string fast = Assert.Single(fastResult.GeneratedSources).Value;
        string accurate = Assert.Single(GeneratorHarness.Run(Lstm).GeneratedSources).Value;

        Snapshot.Verify("Lstm.FastActivations", fast);
        Assert.Equal(Method(accurate, "BackwardStep"), Method(fast, "BackwardStep"));
        Assert.Contains("/// <para>FastActivations: tanh and sigmoid are rational approximations", fast);
        Assert.DoesNotContain("TensorPrimitives.Tanh", fast);
        Assert.DoesNotContain("TensorPrimitives.Sigmoid", fast);
    }

    /// <summary>README's excerpt of the LSTM backward step is copied from the snapshot, line for line, in order.</summary>
    [Fact]
    public void The_readme_excerpt_of_the_Lstm_backward_step_is_the_snapshot_verbatim()
    {
        string excerpt = DocsFiles.CSharpBlocks(DocsFiles.Read("../README.md")).Single(block => block.Contains("// grad of: c_t", StringComparison.Ordinal));
        string snapshot = File.ReadAllText(Path.Combine(Path.GetDirectoryName(SourcePath())!, "_snapshots", "Lstm.verified.cs"));
        var snapshotLines = snapshot.Split('\n').Select(l => l.Trim()).ToList();

        var excerptLines = excerpt.TrimEnd('\n').Split('\n').Select(l => l.Trim()).ToList();
        int start = snapshotLines.IndexOf(excerptLines[0]);
        Assert.True(start >= 0, $"'{excerptLines[0]}' is not in the snapshot");
        Assert.Equal(excerptLines.Where(l => l.Length > 0), snapshotLines.Skip(start).Take(excerptLines.Count).Where(l => l.Length > 0));
    }

    /// <summary>A slice the equations name keeps its name in the backward step, as in the forward one.</summary>
    [Fact]
    public void A_named_slice_keeps_its_name_in_the_backward_step()
    {
        const string source = """
            using UnrolledRnn;
            using static UnrolledRnn.CellMath;

            namespace Snapshots;

            [UnrolledCell(2)]
            public partial class Named
            {
                static void Equations([Input(3)] Vec x, [State(4)] Vec h, [Parameter(8, 3)] Mat W, [Parameter(8)] Vec b)
                {
                    var g = W * x + b;
                    var a = g[..4];
                    var z = sigmoid(g[4..]);
                    h = a * z + h;
                }
            }
            """;
        var result = GeneratorHarness.Run(source);
        result.AssertCleanCompilation();
        string backward = Method(Assert.Single(result.GeneratedSources).Value, "BackwardStep");

        Assert.Contains("//   d_z_t = d_h_t * a_t", backward);
        Assert.Contains("var v_d_z_t = v_d_h_t * v_a_t;", backward);
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    /// <summary>A method of the single-stream code (the batched step class has methods of the same names).</summary>
    private static string Method(string source, string name) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Single(m => m.Identifier.ValueText == name && !((ClassDeclarationSyntax)m.Parent!).Identifier.ValueText.EndsWith("BatchedSteps", StringComparison.Ordinal)).ToFullString();

    /// <summary>Two threads calling Step on one cell corrupt each other's state: the class, Step and Forward say so.</summary>
    [Fact]
    public void The_class_Step_and_Forward_docs_say_an_instance_is_not_thread_safe()
    {
        string generated = Assert.Single(GeneratorHarness.Run(Elman).GeneratedSources).Value;
        var cell = CSharpSyntaxTree.ParseText(generated).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First(c => c.Identifier.ValueText == "Elman"); // the single-stream part
        var methods = cell.Members.OfType<MethodDeclarationSyntax>().ToList();

        string classDocs = cell.GetLeadingTrivia().ToFullString();
        Assert.Contains("not thread-safe", classDocs);
        Assert.Contains("one instance per stream", classDocs);
        Assert.Contains("<c>PrepareInference()</c>", classDocs);
        foreach (string name in new[] { "Step", "Forward" })
        {
            string docs = methods.Single(m => m.Identifier.ValueText == name).GetLeadingTrivia().ToFullString();
            Assert.Contains("Not thread-safe", docs);
            Assert.Contains("give each its own instance", docs);
        }
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
