using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Keeps docs/equations.md honest: every <c>```csharp</c> block on the page is a complete cell that the
/// generator turns into exactly one source compiling without a warning, and whose generated gradients (of
/// every parameter and of the initial state) agree with finite differences in double precision.
/// </summary>
public class DocsExamplesTests
{
    /// <summary>The cells the page promises, by class name.</summary>
    private static readonly string[] s_requiredCells =
    {
        "ElmanTanh", "ElmanRelu", "JordanRnn", "Lstm", "PeepholeLstm", "Gru", "Mgu",
        "StackedElman", "StackedLstm", "StackedGru",
        "IndRnn", "CoRnn", "Lem", "MinGru", "MinLstm", "Ltc", "Cfc", "AntisymmetricRnn",
    };

    /// <summary>The tolerance of the gradient check: far above its round-off (~1e-9), far below any real error.</summary>
    private const double MaxRelativeError = 1e-6;

    private readonly ITestOutputHelper _output;

    public DocsExamplesTests(ITestOutputHelper output) => _output = output;

    /// <summary>The class name of every example, for readable test names; the source is looked up by name.</summary>
    public static TheoryData<string> Examples
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in DocsPage.Examples.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Fact]
    public void Page_has_an_example_of_every_required_cell()
    {
        var names = DocsPage.Blocks.Select(b => b.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var cell in s_requiredCells)
        {
            Assert.Contains(cell, names);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_compiles_with_the_generator_without_warnings(string cell)
    {
        var result = GeneratorHarness.Run(DocsPage.Examples[cell]);

        result.AssertCleanCompilation();
        var generated = Assert.Single(result.GeneratedSources);
        Assert.Equal($"Examples.{cell}.g.cs", generated.Key);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_gradients_match_finite_differences(string cell)
    {
        var (source, truncationLength) = InDoublePrecision(DocsPage.Examples[cell]);
        Assert.True(truncationLength >= 4, $"{cell}: k2 = {truncationLength}; the check needs at least 4 steps to exercise the recurrence.");

        var model = GeneratorHarness.CreateCell<double>(source, "Examples." + cell);
        Assert.Equal(truncationLength, model.TruncationLength);
        var result = GradientCheck.Run(model);

        _output.WriteLine($"{cell}: k2 = {truncationLength}, {result.Count} derivatives, max relative error {result.MaxRelativeError:E2}");
        Assert.Equal(model.ParameterCount + model.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < MaxRelativeError, $"{cell}: {result}");
    }

    /// <summary>
    /// The example with <c>Precision = Precision.Double</c> in its <c>[UnrolledCell(k2, ...)]</c> (replacing any
    /// precision it names), and its k2.
    /// </summary>
    internal static (string Source, int TruncationLength) InDoublePrecision(string source)
    {
        var attribute = new Regex(@"\[UnrolledCell\((?<k2>\d+)(?<named>[^)\]]*)\)\]");
        var matches = attribute.Matches(source);
        Assert.True(matches.Count == 1, "Expected exactly one [UnrolledCell(k2, ...)] with a literal k2, found " + matches.Count);

        string named = Regex.Replace(matches[0].Groups["named"].Value, @",\s*Precision\s*=\s*Precision\.\w+", "");
        string replacement = $"[UnrolledCell({matches[0].Groups["k2"].Value}, Precision = Precision.Double{named})]";
        string converted = attribute.Replace(source, replacement);
        Assert.Contains("Precision = Precision.Double", converted);
        Assert.NotEqual(source, converted);
        return (converted, int.Parse(matches[0].Groups["k2"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The <c>```csharp</c> blocks of docs/equations.md, each named after the class it declares (the ONNX and batching tests use them all).</summary>
    internal static class DocsPage
    {
        public static readonly IReadOnlyList<(string Name, string Source)> Blocks = Read();

        public static readonly IReadOnlyDictionary<string, string> Examples = Blocks
            .GroupBy(b => b.Name).ToDictionary(g => g.Key, g => g.First().Source);

        private static List<(string Name, string Source)> Read()
        {
            const string path = "docs/equations.md";
            var lines = DocsFiles.Read("equations.md").Split('\n');
            var blocks = new List<(string, string)>();
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimEnd() != "```csharp")
                {
                    continue;
                }

                int start = i + 1;
                int end = Array.FindIndex(lines, start, l => l.TrimEnd() == "```");
                if (end < 0)
                {
                    throw new InvalidOperationException($"{path}: the ```csharp block opened on line {i + 1} is never closed.");
                }

                string source = string.Join("\n", lines[start..end]) + "\n";
                var classes = Regex.Matches(source, @"\bclass\s+(\w+)");
                string name = classes.Count == 1 ? classes[0].Groups[1].Value : $"Block{blocks.Count + 1}AtLine{i + 1}";
                blocks.Add((name, source));
                i = end;
            }

            if (blocks.Count == 0)
            {
                throw new InvalidOperationException(path + " holds no ```csharp block.");
            }

            return blocks;
        }
    }
}
