using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// What the generator costs the user's build: its own time for the LSTM at k2 = 64 (cold, then warm, as on
/// every keystroke in the IDE), and the compiler's time for what it generates. Printed, not asserted: timings
/// belong in benchmarks; this test records the figures quoted in docs/design.md and fails only if the
/// generator fails.
/// </summary>
public class GeneratorCostTests
{
    private const string Lstm = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Cost;

        [UnrolledCell(64)]
        public partial class Lstm
        {
            const int In = 16, H = 128, Out = 4;

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

    private readonly ITestOutputHelper _output;

    public GeneratorCostTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Generator_time_and_compile_time_of_the_lstm_at_k2_64()
    {
        var compilation = GeneratorHarness.CreateCompilation(Lstm);
        var clock = Stopwatch.StartNew();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        double cold = clock.Elapsed.TotalMilliseconds;

        // Warm: a fresh driver each time, so nothing is cached, but the generator's code is already jitted.
        const int Runs = 20;
        clock.Restart();
        for (int run = 0; run < Runs; run++)
        {
            driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        }

        double warm = clock.Elapsed.TotalMilliseconds / Runs;
        var result = driver.GetRunResult();
        Assert.Null(result.Results.Single().Exception);
        var generated = result.GeneratedTrees.Single();

        var withOutput = compilation.AddSyntaxTrees(generated);
        clock.Restart();
        var diagnostics = withOutput.GetDiagnostics();
        double compile = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        for (int run = 0; run < 5; run++)
        {
            compilation.AddSyntaxTrees(generated).GetDiagnostics();
        }

        double compileWarm = clock.Elapsed.TotalMilliseconds / 5;

        // The same compilation without the generated file: what the user's code alone costs (the generator's
        // output fails to bind there, but the cost of binding against the references is the same).
        clock.Restart();
        for (int run = 0; run < 5; run++)
        {
            GeneratorHarness.CreateCompilation(Lstm).GetDiagnostics();
        }

        double baseline = clock.Elapsed.TotalMilliseconds / 5;
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);

        int lines = generated.GetText().Lines.Count;
        _output.WriteLine($"LSTM In=16 H=128 Out=4, k2 = 64: generated {lines} lines ({generated.Length} characters).");
        _output.WriteLine($"generator: {cold:F1} ms cold (first run, includes JIT), {warm:F2} ms warm (mean of {Runs})");
        _output.WriteLine($"compiling user code + generated code (binding, diagnostics): {compile:F1} ms first, {compileWarm:F1} ms warm; " +
                          $"user code alone {baseline:F1} ms, so the generated code adds {compileWarm - baseline:F1} ms");
    }
}
