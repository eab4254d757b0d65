extern alias GeneratorAssembly;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using GeneratorAssembly::UnrolledRnn.Generator;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>Runs the generator in memory on source text, the way the compiler does, and compiles the result.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            // Our own assemblies by file name, not by path: a clone in a folder named UnrolledRnn must keep its packages.
            .Where(path => !Path.GetFileName(path).StartsWith("UnrolledRnn", StringComparison.Ordinal))
            .Append(typeof(Vec).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Cells" + Guid.NewGuid().ToString("N"),
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Cell{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new UnrollGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator on <paramref name="sources"/>.</summary>
    public static GeneratorResult Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs the generator on <paramref name="compilation"/>; throws if the generator threw.</summary>
    public static GeneratorResult Run(CSharpCompilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var exception = run.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        if (exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", exception);
        }

        return new GeneratorResult(
            run.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString()),
            run.Diagnostics,
            generatorDiagnostics,
            (CSharpCompilation)output);
    }

    /// <summary>Generates, compiles with no error and no warning, loads, and instantiates <paramref name="typeName"/>.</summary>
    public static IUnrolledCell<T> CreateCell<T>(string source, string typeName)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var assembly = CompileAndLoad(source);
        var type = assembly.GetType(typeName) ?? throw new InvalidOperationException($"No type {typeName} in the compiled cell.");
        return (IUnrolledCell<T>)Activator.CreateInstance(type)!;
    }

    /// <summary>Generates, compiles with no error and no warning, and loads <paramref name="sources"/>, one file each.</summary>
    public static Assembly CompileAndLoad(params string[] sources)
    {
        var result = Run(sources);
        result.AssertCleanCompilation();
        using var stream = new MemoryStream();
        var emit = result.Compilation.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emit.Diagnostics));
        }

        return Assembly.Load(stream.ToArray());
    }
}

/// <summary>What one generator run produced.</summary>
public sealed record GeneratorResult(
    IReadOnlyDictionary<string, string> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> AllGeneratorDiagnostics,
    CSharpCompilation Compilation)
{
    /// <summary>Compiler diagnostics of the user code plus generated code, warnings included.</summary>
    public IReadOnlyList<Diagnostic> CompilationDiagnostics =>
        Compilation.GetDiagnostics().Concat(GeneratorDiagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>Throws, listing them, unless the generator and the compiler report no error and no warning.</summary>
    public void AssertCleanCompilation()
    {
        var problems = CompilationDiagnostics;
        if (problems.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Expected no warning or error, got:\n" + string.Join("\n", problems) +
                                               "\n\nGenerated:\n" + string.Join("\n", GeneratedSources.Values));
        }
    }
}
