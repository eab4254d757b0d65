using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// The generator under bad input. The corpus is every example cell of docs/equations.md (Elman, Jordan, LSTM,
/// peephole LSTM, GRU, MGU, stacked cells) plus four cells for what the examples leave out; from it come
/// thousands of deterministic token-level mutants: cut at every token boundary, every token deleted,
/// duplicated and swapped with the next, identifiers replaced by others of the same source (seeded draws).
/// For every mutant the generator must not throw, and must either report a URNN diagnostic, or generate code
/// that compiles without a warning (errors in the user's own broken code are the user's), or find no cell.
/// URNN022, the internal-error safety net, must never be needed: a bug is fixed, not hidden.
/// </summary>
public class FuzzTests
{
    private const int Seed = 20250611;
    private const int ReplacementsPerIdentifier = 2;
    private const int MinimumCases = 5000;

    /// <summary>The rest of the language: double precision, identity initialisation, a nested cell, constants,
    /// negation, exp, softplus, identity, slices from the end.</summary>
    private const string Mixed = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Fuzz;

        public static partial class Cells
        {
            [UnrolledCell(3, Precision = Precision.Double, RecurrentInitialization = RecurrentInitialization.Identity)]
            public partial class Mixed
            {
                const int In = 2, H = 4, Half = H / 2;

                static void Equations([Input(In)] Vec x, [State(H)] Vec s, [Output(Half)] Vec y,
                    [Parameter(H, In)] Mat A, [Parameter(H, H)] Mat B, [Parameter(H)] Vec g)
                {
                    var a = A * x - 0.5 * (B * s);
                    var e = exp(-a) + softplus(g * a);
                    s = identity(e) - s;
                    y = relu(2 * e[^Half..] + 1);
                }
            }
        }
        """;

    /// <summary>The functions whose derivative reads the argument (stored, not fused: abs, square, sin, cos, silu, gelu),
    /// applied to a sum, a previous state, a slice and a product, and logsigmoid.</summary>
    private const string ArgumentDerivatives = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Fuzz;

        [UnrolledCell(3)]
        public partial class Waves
        {
            const int In = 2, H = 4, Half = H / 2;

            static void Equations([Input(In)] Vec x, [State(H)] Vec s, [Output(Half)] Vec y,
                [Parameter(H, In)] Mat A, [Parameter(H, H)] Mat B, [Parameter(H)] Vec g)
            {
                var a = sin(A * x + B * s) + cos(s) * abs(g);
                s = gelu(a) - 0.5 * square(s) + silu(g * a);
                y = logsigmoid(abs(a[..Half]) + x);
            }
        }
        """;

    /// <summary>Keywords as names, escaped with '@': namespace, containing type, cell, vectors, parameters, locals, a
    /// slice of a vector parameter. The generated code must escape them the same way.</summary>
    private const string Keywords = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace @namespace.@class;

        public static partial class @static
        {
            [UnrolledCell(4)]
            public partial class @int
            {
                const int @in = 3, @out = 2;

                static void Equations([Input(@in)] Vec @float, [State(@out)] Vec @double, [Output(@out)] Vec @return,
                    [Parameter(@out, @in)] Mat @new, [Parameter(@out, @out)] Mat @this, [Parameter(2 * @out)] Vec @base)
                {
                    var @if = @new * @float + @this * @double + @base[..@out];
                    var @else = @base[@out..];
                    @double = tanh(@if) * @else;
                    @return = @double;
                }
            }
        }
        """;

    /// <summary>
    /// The shape constructs: element-wise division (minLSTM's f / (f + i)), division by a constant, max and min (sLSTM's
    /// stabiliser, a broadcast scalar).
    /// </summary>
    private const string Shape = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Fuzz;

        [UnrolledCell(3, Precision = Precision.Double)]
        public partial class Shape
        {
            const int In = 2, H = 4;

            static void Equations([Input(In)] Vec x, [State(H)] Vec h, [State(H)] Vec m, [Output(H)] Vec y,
                [Parameter(H, In)] Mat W_f, [Parameter(H, In)] Mat W_i, [Parameter(H)] Vec c, [Parameter(1)] Vec s)
            {
                var f = sigmoid(W_f * x);
                var i = sigmoid(W_i * x);
                m = max(log(f) + m, log(i));
                h = f / (f + i) * h + i / (f + i) * tanh(c) + min(h, s) * exp(log(i) - m);
                y = h / (c * c + 1) / 2.0;
            }
        }
        """;

    /// <summary>The structural constructs: one matrix as W h and as its transpose Wᵀ h, a merged weight over concat(x, h).</summary>
    private const string Structural = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Fuzz;

        [UnrolledCell(2)]
        public partial class Structural
        {
            static void Equations([Input(2)] Vec x, [State(3)] Vec h, [Output(2)] Vec y,
                [Parameter(3, 3)] Mat W, [Parameter(2, 3)] Mat V, [Parameter(3, 5)] Mat U)
            {
                h = tanh(W * h - W.T * h + V.T * x + U * concat(x, h));
                y = V * h;
            }
        }
        """;

    /// <summary>The fused layer norm: of a stored sum, of the previous state, of an input.</summary>
    private const string Normalised = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Fuzz;

        [UnrolledCell(2)]
        public partial class Normalised
        {
            static void Equations([Input(3)] Vec x, [State(3)] Vec h, [Output(2)] Vec y,
                [Parameter(3, 3)] Mat W, [Parameter(3)] Vec g, [Parameter(3)] Vec b, [Parameter(2, 3)] Mat V)
            {
                h = tanh(layernorm(W * x + h, g, b, 1e-5) + layernorm(h, g, b, 1e-3) - layernorm(x, b, g, 0.5));
                y = V * h;
            }
        }
        """;

    /// <summary>
    /// An empty compilation that every mutant's compilation is derived from: derived compilations share its bound
    /// references instead of binding the framework's assemblies again for each of thousands of mutants.
    /// </summary>
    private static readonly Lazy<CSharpCompilation> s_base = new(() => GeneratorHarness.CreateCompilation().WithAssemblyName("FuzzCells"));

    private readonly ITestOutputHelper _output;

    private long _generatorTicks, _compileTicks;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    /// <summary>The cells mutated: the examples of docs/equations.md, Mixed, ArgumentDerivatives, Keywords, Shape, Structural and Normalised, by class name.</summary>
    public static TheoryData<string, string> Corpus
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string example in DocsFiles.CSharpBlocks(DocsFiles.Read("equations.md")))
            {
                data.Add(Regex.Match(example, @"\bclass\s+(\w+)").Groups[1].Value, example);
            }

            data.Add("Mixed", Mixed);
            data.Add("Waves", ArgumentDerivatives);
            data.Add("int", Keywords);
            data.Add("Shape", Shape);
            data.Add("Structural", Structural);
            data.Add("Normalised", Normalised);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Every_cell_of_the_corpus_is_valid(string name, string source)
    {
        var result = GeneratorHarness.Run(source);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.EndsWith(name + ".g.cs", Assert.Single(result.GeneratedSources).Key, StringComparison.Ordinal);
        result.AssertCleanCompilation();
    }

    [Fact]
    public void No_mutant_crashes_the_generator_or_yields_generated_code_that_does_not_compile()
    {
        var random = new Random(Seed);
        var corpus = Corpus.Select(row => ((string)row[0], (string)row[1])).ToList();
        var mutants = Mutations.Distinct(
            corpus.SelectMany(cell => Mutations.Of(cell.Item1, cell.Item2, random, ReplacementsPerIdentifier)),
            corpus.Select(cell => cell.Item2));

        var stopwatch = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var outcomes = new Outcome[mutants.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, mutants.Count, options, i => outcomes[i] = Classify(mutants[i].Source));
        stopwatch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var failures = Enumerable.Range(0, mutants.Count).Where(i => outcomes[i].IsFailure).ToList();
        double generatorShare = (double)_generatorTicks / (_generatorTicks + _compileTicks);
        _output.WriteLine($"{mutants.Count} mutants of {corpus.Count} cells (seed {Seed}): {stopwatch.Elapsed.TotalSeconds:F1} s on " +
            $"{Environment.ProcessorCount} threads, {cpu.TotalSeconds:F1} s of CPU; {generatorShare:P0} of the time in generator runs, " +
            $"{1 - generatorShare:P0} compiling generated code.");
        foreach (var group in outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key))
        {
            _output.WriteLine($"  {group.Key,-50} {group.Count(),6}");
        }

        foreach (var group in outcomes.Where(o => o.Kind == OutcomeKind.Diagnosed).SelectMany(o => o.Ids).GroupBy(id => id).OrderBy(g => g.Key))
        {
            _output.WriteLine($"    {group.Key} reported in {group.Count(),6} mutants");
        }

        Assert.True(mutants.Count >= MinimumCases, $"Expected at least {MinimumCases} distinct mutants, got {mutants.Count}.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {mutants.Count} mutants failed; the first ones:\n\n" +
            string.Join("\n\n", failures.Take(5).Select(i => $"{mutants[i].Description}: {outcomes[i].Kind}\n{outcomes[i].Detail}\n--- source ---\n{mutants[i].Source}")));
    }

    private Outcome Classify(string source)
    {
        GeneratorResult result;
        var userTree = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Cell0.cs");
        long start = Stopwatch.GetTimestamp();
        try
        {
            result = GeneratorHarness.Run(s_base.Value.AddSyntaxTrees(userTree));
        }
        catch (Exception exception)
        {
            return new Outcome(OutcomeKind.GeneratorThrew, exception.ToString());
        }
        finally
        {
            System.Threading.Interlocked.Add(ref _generatorTicks, Stopwatch.GetTimestamp() - start);
        }

        var ids = result.GeneratorDiagnostics.Select(d => d.Id).Where(id => id.StartsWith("URNN", StringComparison.Ordinal)).Distinct().ToArray();
        if (ids.Contains("URNN022"))
        {
            return new Outcome(OutcomeKind.InternalError, string.Join("\n", result.GeneratorDiagnostics));
        }

        if (result.GeneratedSources.Count > 0)
        {
            start = Stopwatch.GetTimestamp();
            var problems = GeneratedCodeProblems(result, userTree);
            System.Threading.Interlocked.Add(ref _compileTicks, Stopwatch.GetTimestamp() - start);
            if (problems.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return new Outcome(OutcomeKind.GeneratedCodeDoesNotCompile, string.Join("\n", problems.Take(5)));
            }

            if (problems.Count > 0)
            {
                return new Outcome(OutcomeKind.GeneratedCodeHasWarnings, string.Join("\n", problems.Take(5)));
            }

            // With errors in the equations alone, only the members' signatures were generated (and they compile).
            bool hasError = result.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
            return new Outcome(hasError ? OutcomeKind.Diagnosed
                : ids.Length > 0 ? OutcomeKind.GeneratedWithWarningAndCompiles : OutcomeKind.GeneratedAndCompiles, "", ids);
        }

        if (ids.Length > 0)
        {
            return new Outcome(OutcomeKind.Diagnosed, "", ids);
        }

        return IsCell(result, userTree)
            ? new Outcome(OutcomeKind.CellSilentlyIgnored, string.Join("\n", result.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)))
            : new Outcome(OutcomeKind.NotACell, "");
    }

    /// <summary>
    /// Errors and warnings located in the generated files. Only the generated trees are bound: the user's own
    /// broken code has errors of its own, which are the user's to fix.
    /// </summary>
    private static List<Diagnostic> GeneratedCodeProblems(GeneratorResult result, SyntaxTree userTree) =>
        result.Compilation.SyntaxTrees
            .Where(tree => tree != userTree)
            .SelectMany(tree => result.Compilation.GetSemanticModel(tree).GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();

    /// <summary>True when a class (or record) of the user's code still carries the UnrolledCell attribute, bound to it.</summary>
    private static bool IsCell(GeneratorResult result, SyntaxTree userTree)
    {
        var model = result.Compilation.GetSemanticModel(userTree);
        return userTree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>()
            .Where(type => type is ClassDeclarationSyntax or RecordDeclarationSyntax)
            .Select(type => model.GetDeclaredSymbol(type))
            .Any(symbol => symbol is not null && symbol.GetAttributes()
                .Any(a => a.AttributeClass?.ToDisplayString() == "UnrolledRnn.UnrolledCellAttribute"));
    }

    private enum OutcomeKind
    {
        Diagnosed,
        GeneratedAndCompiles,
        GeneratedWithWarningAndCompiles,
        NotACell,
        GeneratorThrew,
        InternalError,
        GeneratedCodeDoesNotCompile,
        GeneratedCodeHasWarnings,
        CellSilentlyIgnored,
    }

    private sealed record Outcome(OutcomeKind Kind, string Detail, params string[] Ids)
    {
        public bool IsFailure => Kind >= OutcomeKind.GeneratorThrew;
    }
}
