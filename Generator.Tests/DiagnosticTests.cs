extern alias GeneratorAssembly;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using GeneratorAssembly::UnrolledRnn.Generator;
using GeneratorAssembly::UnrolledRnn.Generator.Diagnostics;
using GeneratorAssembly::UnrolledRnn.Generator.Parsing;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests;

/// <summary>
/// One wrong cell per diagnostic: each case edits a valid Elman cell, marks with <c>[| |]</c> the exact text the
/// diagnostic must cover, and names what the message must mention. A case checks the id, the severity, the span
/// (position and text), the message, that no other URNN diagnostic piles on, and that an error stops generation
/// for the cell while a warning does not.
/// </summary>
public class DiagnosticTests
{
    private const string ValidCell = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Diagnostics;

        [UnrolledCell(4)]
        public partial class Elman
        {
            const int In = 3, H = 4, Out = 2;

            static void Equations([Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
                [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(H)] Vec b, [Parameter(Out, H)] Mat V)
            {
                h = tanh(W * x + U * h + b);
                y = V * h;
            }
        }
        """;

    private const string Body = """
                h = tanh(W * x + U * h + b);
                y = V * h;
        """;

    /// <summary>
    /// Every case: a name, the descriptor id, the wrong source with the expected span marked, and the words the
    /// message must contain. Several cases may share an id (different triggers); every id has at least one.
    /// </summary>
    private static readonly DiagnosticCase[] s_cases =
    {
        new("not partial", "URNN001",
            Edit("public partial class Elman", "public class [|Elman|]"),
            "'Elman'", "partial"),
        new("containing type not partial", "URNN002",
            Edit("[UnrolledCell(4)]", "public class [|Models|]\n{\n[UnrolledCell(4)]") + "\n}",
            "'Elman'", "'Models'"),
        new("generic", "URNN003",
            Edit("public partial class Elman", "public partial class Elman[|<T>|]"),
            "'Elman'", "generic"),
        new("truncation length zero", "URNN004",
            Edit("[UnrolledCell(4)]", "[UnrolledCell([|0|])]"),
            "'Elman'", "is 0", "from 1 to " + CellParser.MaxTruncationLength),
        new("truncation length too large", "URNN004",
            Edit("[UnrolledCell(4)]", "[UnrolledCell([|5000|])]"),
            "'Elman'", "is 5000", "from 1 to " + CellParser.MaxTruncationLength),
        new("truncation length missing", "URNN004",
            Edit("[UnrolledCell(4)]", "[[|UnrolledCell|]]"),
            "'Elman'", "is missing"),
        new("truncation length not a constant", "URNN004",
            Edit("[UnrolledCell(4)]", "[UnrolledCell([|\"four\"|])]"),
            "'Elman'", "'\"four\"', not an integer constant"),
        new("truncation length an unknown name", "URNN004",
            Edit("[UnrolledCell(4)]", "[UnrolledCell([|K2|])]"),
            "'Elman'", "'K2', not an integer constant"),
        new("no Equations", "URNN005",
            Edit("static void Equations(", "static void Equation(").Replace("class Elman", "class [|Elman|]"),
            "'Elman'", "'Equations'"),
        new("parameter without role", "URNN006",
            Edit("[Input(In)] Vec x", "Vec [|x|]"),
            "'x'", "[Input(n)]"),
        new("parameter with two roles", "URNN006",
            Edit("[Input(In)] Vec x", "[Input(In), State(In)] Vec [|x|]"),
            "'x'", "exactly one"),
        new("input of type Mat", "URNN006",
            Edit("[Input(In)] Vec x", "[Input(In)] [|Mat|] x"),
            "'x'", "Vec"),
        new("ref parameter", "URNN006",
            Edit("[Input(In)] Vec x", "[Input(In)] [|ref|] Vec x"),
            "'x'", "'ref'"),
        new("size zero", "URNN007",
            Edit("[State(H)] Vec h", "[State([|0|])] Vec h"),
            "size 0", "'h'", "positive"),
        new("negative column count", "URNN007",
            Edit("[Parameter(H, In)] Mat W", "[Parameter(H, [|-In|])] Mat W"),
            "4 x -3", "'W'"),
        new("remainder operator", "URNN008",
            Edit("U * h + b", "U * h [|%|] b"),
            "'%'", "'+', '-', '*', '/'"),
        new("compound assignment", "URNN008",
            Edit("y = V * h;", "y = V * h;\n        y [|+=|] V * h;"),
            "+=", "plain assignment"),
        new("if statement", "URNN008",
            Edit("y = V * h;", "y = V * h;\n        [|if (true) { }|]"),
            "'if'", "no loops, branches or calls"),
        new("loop holding the state's assignment, without 'never assigned' on top", "URNN008",
            Edit("h = tanh(W * x + U * h + b);", "[|for (int i = 0; i < 2; i++) { h = tanh(W * x + U * h + b); }|]"),
            "a loop", "no loops, branches or calls"),
        new("compound assignment of the output, without 'never assigned' on top", "URNN008",
            Edit("y = V * h;", "y [|+=|] V * h;"),
            "+=", "plain assignment"),
        new("unknown name", "URNN009",
            Edit("U * h + b", "U * h + b + [|q|]"),
            "'q'", "is not an input, state, output, parameter or earlier local"),
        new("static readonly field used as a constant", "URNN009",
            Edit("    const int In", "    static readonly double Scale = 0.5;\n\n    const int In").Replace("y = V * h;", "y = [|Scale|] * (V * h);"),
            "'Scale' is a 'static readonly' field, not a constant", "must be declared 'const'", "'const double Scale = ...;'"),
        new("unknown function", "URNN010",
            Edit("h = tanh(", "h = [|cosh|]("),
            "'cosh'", "tanh, sigmoid"),
        new("function with two arguments", "URNN010",
            Edit("h = tanh(W * x + U * h + b)", "h = [|tanh(W * x, U * h + b)|]"),
            "tanh(W * x, U * h + b)", "one argument"),
        new("assigned length differs", "URNN011",
            Edit("[Output(Out)] Vec y", "[Output(H)] Vec y").Replace("y = V * h;", "[|y = V * h;|]"),
            "'y = V * h'", "'y' has length 4", "length 2"),
        new("matrix-vector length differs", "URNN011",
            Edit("y = V * h;", "y = [|V * x|];"),
            "'V * x'", "length 4", "'x' has length 3"),
        new("element-wise lengths differ", "URNN011",
            Edit("y = V * h;", "y = [|V * h + x|];"),
            "'V * h + x'", "has length 2", "has length 3"),
        new("assignment to input", "URNN012",
            Edit("y = V * h;", "y = V * h;\n        [|x|] = h;"),
            "'x'", "an input"),
        new("assignment to parameter", "URNN012",
            Edit("y = V * h;", "y = V * h;\n        [|b|] = h;"),
            "'b'", "a parameter"),
        new("state assigned twice", "URNN013",
            Edit("y = V * h;", "[|h = tanh(U * h);|]\n        y = V * h;"),
            "'h'", "more than once"),
        new("state never assigned", "URNN014",
            Edit(Body, "        var g = tanh(W * x + U * h + b);\n        y = V * g;").Replace("[State(H)] Vec h", "[State(H)] Vec [|h|]"),
            "'h'"),
        new("output never assigned", "URNN015",
            Edit("y = V * h;", "var z = V * h;").Replace("[Output(Out)] Vec y", "[Output(Out)] Vec [|y|]"),
            "'y'"),
        new("parameter never used", "URNN016",
            Edit("[Parameter(H)] Vec b,", "[Parameter(H)] Vec b, [Parameter(H)] Vec [|c|],"),
            "'c'", "no gradient"),
        new("local declared twice", "URNN017",
            Edit(Body, "        var g = W * x;\n        var [|g|] = U * h;\n        h = tanh(g + b);\n        y = V * h;"),
            "'g'", "twice"),
        new("local named like an input", "URNN017",
            Edit(Body, "        var [|x|] = U * h;\n        h = tanh(W * x + b);\n        y = V * h;"),
            "'x'", "twice"),
        new("Equations declared twice", "URNN017",
            Edit("    }\n}", "    }\n\n    static void [|Equations|]() { }\n}"),
            "'Equations'", "exactly one"),
        new("matrix added", "URNN018",
            Edit("U * h + b", "[|U|] + b"),
            "'U'", "'U * v'"),
        new("transposed product of the wrong length", "URNN011",
            Edit("W * x", "[|W.T * x|]"),
            "'W' is 4 x 3", "its transpose needs a vector of length 4", "length 3"),
        new("transpose of a vector", "URNN032",
            Edit("U * h + b", "U * h + [|b.T|]"),
            "'b.T'", "'b' is not one"),
        new("transposed matrix outside a product", "URNN032",
            Edit("U * h + b", "[|U.T|] + b"),
            "'U.T'", "'U.T * v'"),
        new("concatenation of one vector", "URNN033",
            Edit("U * h + b", "U * h + [|concat(b)|]"),
            "'concat(b)'", "1 part", "two or more"),
        new("concatenation with a named part", "URNN033",
            Edit("U * h + b", "U * h + concat(b, [|parts: b|])"),
            "'concat(b, parts: b)'", "'parts: b'", "plain vector"),
        new("layer norm whose gain is not a parameter", "URNN034",
            Edit("U * h + b", "U * h + layernorm(b, [|h|], b, 1e-5)"),
            "'layernorm(b, h, b, 1e-5)'", "the gain 'h' is not a vector parameter"),
        new("layer norm whose gain is of the wrong length", "URNN034",
            Edit("U * h + b", "U * h + concat(layernorm(b[..2], [|b|], b, 1e-5), b[2..])"),
            "the gain 'b' has length 4", "length 2"),
        new("layer norm with eps 0", "URNN034",
            Edit("U * h + b", "U * h + layernorm(b, b, b, [|0|])"),
            "eps '0' is not a positive compile-time constant"),
        new("layer norm with a named argument", "URNN034",
            Edit("U * h + b", "U * h + layernorm(b, b, b, [|eps: 1e-5|])"),
            "'eps: 1e-5'", "not a plain argument"),
        new("merged weight of the wrong width", "URNN011",
            Edit("W * x", "[|W * concat(x, h)|]"),
            "'W' is 4 x 3", "length 7"),
        new("slice past the end", "URNN019",
            Edit("U * h + b", "U * h + b[[|0..9|]]"),
            "'b[0..9]'", "[0, 9)", "length 4"),
        new("slice by an index", "URNN019",
            Edit("U * h + b", "U * h + b[|[0]|]"),
            "'b[0]'", "one range"),
        new("static class", "URNN020",
            Edit("public partial class Elman", "public [|static|] partial class Elman"),
            "'Elman'", "static"),
        new("generic containing type", "URNN020",
            Edit("[UnrolledCell(4)]", "public partial class Models[|<T>|]\n{\n[UnrolledCell(4)]") + "\n}",
            "'Elman'", "'Models'"),
        new("record", "URNN020",
            Edit("public partial class Elman", "public partial [|record|] Elman"),
            "'Elman'", "is a record"),
        new("class without a name", "URNN020",
            Edit("public partial class Elman", "public partial [|class|]"),
            "'(unnamed)'", "has no name"),
        new("namespace without a name", "URNN020",
            Edit("namespace Diagnostics;", "[|namespace|];"),
            "'Elman'", "namespace declaration without a complete name"),
        new("type named var in scope", "URNN020",
            Edit("[UnrolledCell(4)]", "public class [|var|] { }\n\n[UnrolledCell(4)]"),
            "'Elman'", "'var'"),
        new("cell named like a generated member", "URNN021",
            Edit("public partial class Elman", "public partial class [|State|]"),
            "'State'", "reserved"),
        new("private member named like a generated buffer", "URNN021",
            Edit("    const int In", "    private int[] [|_tape|] = new int[1];\n\n    const int In"),
            "'_tape'", "reserved"),
        new("member named like the generated size of an input", "URNN021",
            Edit("    const int In", "    public const int [|Size_x|] = 3;\n\n    const int In"),
            "'Size_x'", "reserved"),
        new("parameter named like a step method's parameter", "URNN021",
            Edit("[Parameter(H)] Vec b,", "[Parameter(H)] Vec [|input|],").Replace("U * h + b", "U * h + input"),
            "'input'", "reserved"),
        new("parameter named like the generated local of an input", "URNN021",
            Edit("[Parameter(H)] Vec b,", "[Parameter(H)] Vec [|h_prev|],").Replace("U * h + b", "U * h + h_prev"),
            "'h_prev'", "reserved"),
        new("parameter named like a kernel class the step code calls by its short name", "URNN021",
            Edit("[Parameter(H)] Vec b,", "[Parameter(H)] Vec [|Activations|],").Replace("U * h + b", "U * h + Activations"),
            "'Activations'", "reserved"),
        new("parameter named like the gradient of another", "URNN021",
            Edit("[Parameter(H)] Vec b,", "[Parameter(H)] Vec [|grad_W|],").Replace("U * h + b", "U * h + grad_W"),
            "'grad_W'", "reserved"),
        new("local named like the register of a state in a fused loop", "URNN021",
            Edit("h = tanh(W * x + U * h + b);", "var [|v_h|] = W * x;\n        h = tanh(v_h + U * h + b);"),
            "'v_h'", "reserved"),
        new("state named with the prefix of the fused loops' registers", "URNN021",
            Edit("[State(H)] Vec h,", "[State(H)] Vec [|v_h|],").Replace("h = tanh(W * x + U * h + b);", "v_h = tanh(W * x + U * v_h + b);").Replace("V * h", "V * v_h"),
            "'v_h'", "reserved"),
        new("integer division of literals in a constant", "URNN023",
            Edit("y = V * h;", "y = ([|1 / 3|]) * (V * h);"),
            "'1 / 3'", "truncates it to 0", "'1f / 3' or '1.0 / 3'"),
        new("integer division of a named constant", "URNN023",
            Edit("y = V * h;", "y = V * h * ([|H / 3|]);"),
            "'H / 3'", "truncates it to 1", "'(double)H / 3'"),
        new("constant divided by a vector", "URNN028",
            Edit("y = V * h;", "y = V * ([|1 / h|]);"),
            "'1 / h'", "constant divided by a vector", "'u / h'"),
        new("vector divided by the constant zero", "URNN028",
            Edit("y = V * h;", "y = V * ([|h / 0|]);"),
            "'h / 0'", "constant zero"),
        new("quotient of vectors of different lengths", "URNN011",
            Edit("y = V * h;", "y = [|V * h / h|];"),
            "'V * h' has length 2", "'h' has length 4", "element-wise '/'"),
        new("max with one argument", "URNN029",
            Edit("y = V * h;", "y = V * [|max(h)|];"),
            "'max(h)'", "1 argument", "expected two vectors"),
        new("min of vectors of different lengths", "URNN029",
            Edit("y = V * h;", "y = [|min(V * h, h)|];"),
            "'V * h' has length 2", "'h' has length 4", "one of length 1"),
        new("max of a vector and a constant", "URNN029",
            Edit("y = V * h;", "y = V * max(h, [|0|]);"),
            "'max(h, 0)'", "'0' is a constant", "relu(v)"),
        new("reserved member name", "URNN021",
            Edit("    const int In", "    public void [|Forward|]() { }\n\n    const int In"),
            "'Forward'", "reserved"),
    };

    /// <summary>Descriptors no source can trigger, each with the test that covers it instead.</summary>
    private static readonly Dictionary<string, string> s_testedWithoutSource = new()
    {
        ["URNN022"] = nameof(An_unexpected_exception_is_reported_as_URNN022_on_the_class_instead_of_escaping),
    };

    public static TheoryData<string> CaseNames => new(s_cases.Select(c => c.Name));

    public static TheoryData<string> DescriptorIds => new(DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(id => id));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reports_the_diagnostic_at_the_offending_text(string caseName)
    {
        var testCase = s_cases.Single(c => c.Name == caseName);
        var (source, expectedSpan) = Markup.Parse(testCase.Markup);

        var result = GeneratorHarness.Run(source);

        var ours = result.GeneratorDiagnostics.Where(d => d.Id.StartsWith("URNN", StringComparison.Ordinal)).ToList();
        var diagnostic = Assert.Single(ours);
        Assert.Equal(testCase.Id, diagnostic.Id);
        Assert.Equal(DiagnosticDescriptors.ById(testCase.Id).DefaultSeverity, diagnostic.Severity);
        Assert.Equal("Cell0.cs", diagnostic.Location.SourceTree?.FilePath ?? diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(source.Substring(expectedSpan.Start, expectedSpan.Length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(expectedSpan, diagnostic.Location.SourceSpan);

        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var expected in testCase.MessageContains)
        {
            Assert.Contains(expected, message, StringComparison.Ordinal);
        }

        // An error stops the generation of the cell's code (at most its members' signatures are emitted, when
        // the error is in the equations alone); a warning does not.
        if (diagnostic.Severity == DiagnosticSeverity.Error)
        {
            Assert.All(result.GeneratedSources.Values, generated => Assert.DoesNotContain("ForwardStep", generated, StringComparison.Ordinal));
        }
        else
        {
            Assert.Single(result.GeneratedSources);
        }
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Every_descriptor_is_documented_and_tested(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);

        Assert.Matches("^URNN[0-9]{3}$", id);
        Assert.EndsWith("docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.Contains("{0}", descriptor.MessageFormat.ToString(), StringComparison.Ordinal);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.True(s_cases.Any(c => c.Id == id) || s_testedWithoutSource.ContainsKey(id), $"No test case reports {id}.");
    }

    [Fact]
    public void Every_case_is_for_a_known_descriptor()
    {
        var known = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet();

        Assert.All(s_cases.Select(c => c.Id).Concat(s_testedWithoutSource.Keys), id => Assert.Contains(id, known));
        Assert.Equal(s_cases.Length, s_cases.Select(c => c.Name).Distinct().Count());
    }

    /// <summary>
    /// Every member the generator adds to a cell, declared by the user in the cell, is reported as URNN021: the
    /// reserved names cannot drift behind the emitters. Names are read from the generated code of the valid cell.
    /// </summary>
    [Fact]
    public void Every_generated_member_name_is_reserved()
    {
        var generated = Assert.Single(GeneratorHarness.Run(ValidCell).GeneratedSources).Value;
        var names = CSharpSyntaxTree.ParseText(generated).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Where(c => c.Identifier.ValueText == "Elman").SelectMany(c => c.Members) // both parts: single-stream and batched
            .SelectMany(member => member switch
            {
                FieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier),
                PropertyDeclarationSyntax { ExplicitInterfaceSpecifier: null } property => new[] { property.Identifier },
                MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } method => new[] { method.Identifier },
                _ => Array.Empty<SyntaxToken>(),
            })
            .Select(identifier => identifier.ValueText)
            .Distinct()
            .ToList();
        Assert.Contains("Forward", names);

        var unreported = names.Where(name =>
        {
            string source = Edit("    const int In", $"    private static void {name}(int unused) {{ }}\n\n    const int In");
            return !GeneratorHarness.Run(source).GeneratorDiagnostics.Any(d => d.Id == "URNN021" && d.GetMessage().Contains($"'{name}'", StringComparison.Ordinal));
        }).ToList();

        Assert.Empty(unreported);
    }

    [Fact]
    public void An_unexpected_exception_is_reported_as_URNN022_on_the_class_instead_of_escaping()
    {
        var (source, expectedSpan) = Markup.Parse(Edit("public partial class Elman", "public partial class [|Elman|]"));
        var tree = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "Cell0.cs");
        var identifier = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single().Identifier;

        var result = UnrollGenerator.Guarded(() => throw new InvalidOperationException("a bug"), identifier.GetLocation(), "Elman");

        Assert.Null(result.Model);
        var diagnostic = Assert.Single(result.Diagnostics).ToDiagnostic();
        Assert.Equal("URNN022", diagnostic.Id);
        Assert.Equal(expectedSpan, diagnostic.Location.SourceSpan);
        Assert.Contains("'Elman' (InvalidOperationException: a bug)", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void An_exact_integer_division_in_a_constant_is_not_reported()
    {
        var result = GeneratorHarness.Run(Edit("y = V * h;", "y = (4 / 2) * (V * h);"));

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("public static void ForwardStep", Assert.Single(result.GeneratedSources).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_is_not_turned_into_a_diagnostic()
    {
        var location = Location.Create("Cell0.cs", default, default);

        Assert.Throws<OperationCanceledException>(() => UnrollGenerator.Guarded(() => throw new OperationCanceledException(), location, "Elman"));
    }

    [Fact]
    public void A_cancelled_run_stops_with_cancellation_not_with_a_diagnostic_or_a_generator_failure()
    {
        var compilation = GeneratorHarness.CreateCompilation(ValidCell);
        using var cancellation = new System.Threading.CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            GeneratorHarness.CreateDriver().RunGenerators(compilation, cancellation.Token));
    }

    [Fact]
    public void A_broken_cell_leaves_the_valid_cell_in_the_same_file_generated()
    {
        string broken = ValidCell.Replace("class Elman", "class Broken").Replace("U * h + b", "U * h + b + q");
        string source = ValidCell + "\n" + broken.Substring(broken.IndexOf("[UnrolledCell", StringComparison.Ordinal));

        var result = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("URNN009", diagnostic.Id);
        Assert.Contains("public static void ForwardStep", result.GeneratedSources["Diagnostics.Elman.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("ForwardStep", result.GeneratedSources["Diagnostics.Broken.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_cell_in_one_file_leaves_cells_of_other_files_generated()
    {
        string other = ValidCell.Replace("class Elman", "class Other").Replace("namespace Diagnostics;", "namespace Others;");
        string broken = ValidCell.Replace("public partial class Elman", "public static class Elman");

        var result = GeneratorHarness.Run(broken, other);

        Assert.Equal(new[] { "URNN001", "URNN020" }, result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Equal("Others.Other.g.cs", Assert.Single(result.GeneratedSources).Key);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Page_examples_report_and_fix_the_diagnostic(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var section = DiagnosticsPage.Sections.GetValueOrDefault(id.ToLowerInvariant());

        Assert.True(section is not null, $"docs/diagnostics.md has no section <a id=\"{id.ToLowerInvariant()}\"></a>.");
        Assert.Equal($"## {id}: {descriptor.Title}", section.Heading);
        if (s_testedWithoutSource.ContainsKey(id))
        {
            Assert.Empty(section.Examples);
            return;
        }

        Assert.Equal(2, section.Examples.Length);
        var wrong = GeneratorHarness.Run(DiagnosticsPage.Usings + section.Examples[0]);
        var reported = wrong.GeneratorDiagnostics.Where(d => d.Id.StartsWith("URNN", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reported);
        Assert.All(reported, d => Assert.Equal(id, d.Id));

        var corrected = GeneratorHarness.Run(DiagnosticsPage.Usings + section.Examples[1]);
        Assert.Single(corrected.GeneratedSources);
        corrected.AssertCleanCompilation();
    }

    /// <summary>The sections of docs/diagnostics.md, by anchor: heading line and <c>```csharp</c> blocks.</summary>
    private static class DiagnosticsPage
    {
        public const string Usings = "using UnrolledRnn;\nusing static UnrolledRnn.CellMath;\n\n";

        public static readonly Dictionary<string, Section> Sections = Read();

        private static Dictionary<string, Section> Read()
        {
            string text = DocsFiles.Read("diagnostics.md");
            var anchors = Regex.Matches(text, "^<a id=\"(urnn[0-9]{3})\"></a>\n(.*)$", RegexOptions.Multiline);
            var sections = new Dictionary<string, Section>();
            for (int i = 0; i < anchors.Count; i++)
            {
                int end = i + 1 < anchors.Count ? anchors[i + 1].Index : text.Length;
                string body = text.Substring(anchors[i].Index, end - anchors[i].Index);
                sections.Add(anchors[i].Groups[1].Value, new Section(anchors[i].Groups[2].Value, DocsFiles.CSharpBlocks(body)));
            }

            return sections;
        }
    }

    private sealed record Section(string Heading, string[] Examples);

    /// <summary>Replaces exactly one occurrence of <paramref name="original"/> in the valid cell.</summary>
    private static string Edit(string original, string replacement)
    {
        int index = ValidCell.IndexOf(original, StringComparison.Ordinal);
        if (index < 0 || ValidCell.IndexOf(original, index + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{original}' must occur exactly once in the valid cell.");
        }

        return ValidCell.Substring(0, index) + replacement + ValidCell.Substring(index + original.Length);
    }

    private sealed record DiagnosticCase(string Name, string Id, string Markup, params string[] MessageContains);
}
