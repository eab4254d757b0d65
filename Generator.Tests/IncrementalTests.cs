extern alias GeneratorAssembly;

using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using GeneratorAssembly::UnrolledRnn.Generator;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests;

/// <summary>
/// The generator runs on every keystroke: an edit that does not change a cell must not redo its work.
/// Each test runs the generator, edits the compilation, runs it again, and reads the reason every named
/// step gave for its outputs.
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

    private static readonly string[] s_steps = { UnrollGenerator.Steps.Parse, UnrollGenerator.Steps.Diagnostics, UnrollGenerator.Steps.Model };

    [Fact]
    public void An_edit_elsewhere_in_the_file_leaves_every_step_cached_or_unchanged()
    {
        var run = RunTwice(new[] { Cell, OtherCell }, 0, Cell.Replace("namespace Incremental;", "namespace Incremental;\n\ninternal static class Helper { public static int Answer => 42; }"));

        AssertAllCachedOrUnchanged(run);
    }

    [Fact]
    public void An_added_comment_leaves_every_step_cached_or_unchanged()
    {
        var run = RunTwice(new[] { Cell, OtherCell }, 0, Cell.Replace("h = tanh(", "// the Elman recurrence\n        h = tanh("));

        AssertAllCachedOrUnchanged(run);
    }

    [Fact]
    public void A_new_unrelated_class_leaves_every_step_cached_or_unchanged()
    {
        var run = RunTwice(new[] { Cell, OtherCell, "namespace Incremental; public class Unrelated { }" }, 2,
            "namespace Incremental; public class Unrelated { public int Value; } public class AlsoNew { }");

        AssertAllCachedOrUnchanged(run);
    }

    [Fact]
    public void An_edit_of_the_equations_regenerates_only_that_class()
    {
        var run = RunTwice(new[] { Cell, OtherCell }, 0, Cell.Replace("h = tanh(", "h = sigmoid("));

        var models = run.TrackedSteps[UnrollGenerator.Steps.Model].SelectMany(step => step.Outputs).ToList();
        Assert.Equal(2, models.Count);
        Assert.Single(models, output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(models, output => output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);

        var regenerated = run.GeneratedSources;
        Assert.Contains(regenerated, source => source.HintName == "Incremental.Elman.g.cs" && source.SourceText.ToString().Contains("Sigmoid"));
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

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult run)
    {
        foreach (string step in s_steps)
        {
            Assert.True(run.TrackedSteps.ContainsKey(step), $"The step '{step}' did not run.");
            foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"The step '{step}' gave {output.Reason} for {output.Value}.");
            }
        }
    }
}
