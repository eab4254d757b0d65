extern alias GeneratorAssembly;

using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using GeneratorAssembly::UnrolledRnn.Generator;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests;

/// <summary>
/// The generator runs on every keystroke: an edit that does not change a cell must not redo its work.
/// Each test runs the generator, edits the compilation, runs it again, and names the reason every step (the
/// pipeline's named steps, then the source outputs) gave for each of its outputs, as Mapperly's tests do.
/// </summary>
public class IncrementalTests
{
    private const string Cell = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Incremental;

        [UnrolledCell(4)]
        public partial class Elman
        {
            const int In = 3, H = 4, Out = 2;

            static void Equations([Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
                [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b,
                [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
            {
                h = tanh(W_ih * x + W_hh * h + b);
                y = W_out * h + b_out;
            }
        }
        """;

    private const string OtherCell = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Incremental;

        [UnrolledCell(4)]
        public partial class Other
        {
            const int In = 2, H = 3, Out = 1;

            static void Equations([Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
                [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(Out, H)] Mat V)
            {
                h = relu(W * x + U * h);
                y = V * h;
            }
        }
        """;

    private const string SourceOutput = "SourceOutput";

    [Fact]
    public void An_edit_elsewhere_in_the_file_parses_both_cells_to_equal_results_and_regenerates_nothing()
    {
        var run = RunTwice(new[] { Cell, OtherCell }, 0, Cell.Replace("namespace Incremental;", "namespace Incremental;\n\ninternal static class Helper { public static int Answer => 42; }"));

        AssertReasons(run,
            (UnrollGenerator.Steps.Parse, "Unchanged, Unchanged"),
            (UnrollGenerator.Steps.Diagnostics, "Cached, Cached"),
            (UnrollGenerator.Steps.Model, "Cached, Cached"),
            (SourceOutput, "Cached, Cached, Cached, Cached"));
    }

    [Fact]
    public void An_added_comment_in_the_equations_regenerates_nothing()
    {
        var run = RunTwice(new[] { Cell, OtherCell }, 0, Cell.Replace("h = tanh(", "// the Elman recurrence\n        h = tanh("));

        AssertReasons(run,
            (UnrollGenerator.Steps.Parse, "Unchanged, Unchanged"),
            (UnrollGenerator.Steps.Diagnostics, "Cached, Cached"),
            (UnrollGenerator.Steps.Model, "Cached, Cached"),
            (SourceOutput, "Cached, Cached, Cached, Cached"));
    }

    [Fact]
    public void A_new_unrelated_class_parses_both_cells_to_equal_results_and_regenerates_nothing()
    {
        var run = RunTwice(new[] { Cell, OtherCell, "namespace Incremental; public class Unrelated { }" }, 2,
            "namespace Incremental; public class Unrelated { public int Value; } public class AlsoNew { }");

        AssertReasons(run,
            (UnrollGenerator.Steps.Parse, "Unchanged, Unchanged"),
            (UnrollGenerator.Steps.Diagnostics, "Cached, Cached"),
            (UnrollGenerator.Steps.Model, "Cached, Cached"),
            (SourceOutput, "Cached, Cached, Cached, Cached"));
    }

    [Fact]
    public void An_edit_of_the_equations_regenerates_only_that_class()
    {
        var run = RunTwice(new[] { Cell, OtherCell }, 0, Cell.Replace("h = tanh(", "h = sigmoid("));

        AssertReasons(run,
            (UnrollGenerator.Steps.Parse, "Modified, Unchanged"),
            (UnrollGenerator.Steps.Diagnostics, "Unchanged, Cached"),
            (UnrollGenerator.Steps.Model, "Modified, Cached"),
            (SourceOutput, "Cached, Cached, Modified, Cached"));
        Assert.Contains(run.GeneratedSources, source => source.HintName == "Incremental.Elman.g.cs" && source.SourceText.ToString().Contains("Sigmoid"));
    }

    /// <summary>
    /// The reason diagnostics have a branch of their own: a cell with a warning (URNN016, an unused parameter) moves
    /// down by a line; the warning moves with it, and the model, equal, regenerates nothing.
    /// </summary>
    [Fact]
    public void Moving_a_diagnostic_reports_it_at_its_new_place_and_regenerates_no_code()
    {
        string warned = Cell.Replace("[Parameter(Out)] Vec b_out)", "[Parameter(Out)] Vec b_out, [Parameter(Out)] Vec unused)");
        var first = GeneratorHarness.Run(warned, OtherCell);
        var run = RunTwice(new[] { warned, OtherCell }, 0, warned.Replace("namespace Incremental;", "namespace Incremental;\n"));

        AssertReasons(run,
            (UnrollGenerator.Steps.Parse, "Modified, Unchanged"),
            (UnrollGenerator.Steps.Diagnostics, "Modified, Cached"),
            (UnrollGenerator.Steps.Model, "Unchanged, Cached"),
            (SourceOutput, "Modified, Cached, Cached, Cached"));
        var before = Assert.Single(first.GeneratorDiagnostics);
        var after = Assert.Single(run.Diagnostics);
        Assert.Equal(("URNN016", before.Location.GetLineSpan().StartLinePosition.Line + 1), (after.Id, after.Location.GetLineSpan().StartLinePosition.Line));
    }

    private static GeneratorRunResult RunTwice(string[] sources, int editedIndex, string editedSource)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var oldTree = compilation.SyntaxTrees.ElementAt(editedIndex);
        var newTree = CSharpSyntaxTree.ParseText(editedSource, GeneratorHarness.ParseOptions, oldTree.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree));
        return driver.GetRunResult().Results.Single();
    }

    /// <summary>
    /// The reasons the outputs of each named step gave, in output order, as "Unchanged, Cached": the Elman cell's
    /// first, then the other's. A new compilation re-runs the parse of every cell (Unchanged: an equal result), and
    /// what follows an equal result is Cached. <see cref="SourceOutput"/> lists the two diagnostics outputs, then
    /// the two generated sources.
    /// </summary>
    private static void AssertReasons(GeneratorRunResult run, params (string Step, string Reasons)[] expected)
    {
        var actual = expected.Select(e => (e.Step, string.Join(", ", Steps(run, e.Step).SelectMany(s => s.Outputs).Select(o => o.Reason)))).ToArray();
        Assert.Equal(expected, actual);
    }

    private static ImmutableArray<IncrementalGeneratorRunStep> Steps(GeneratorRunResult run, string step) =>
        step == SourceOutput ? run.TrackedOutputSteps[step] : run.TrackedSteps[step];
}
