using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.PyTorch;

/// <summary>
/// The example cells of docs/equations.md as the PyTorch fixtures need them: the page's own source with its sizes
/// (<c>const int In = 3, H = 5, Out = 2;</c>), its k2 and its precision replaced by the fixture's, so that what is
/// compared with PyTorch is the documented cell and nothing else. The four variants of a cell (two sizes, float and
/// double) are compiled together, once, as <c>Examples.{Cell}_{size}_{f32|f64}</c>.
/// </summary>
public static class ExampleCellVariants
{
    public static readonly string[] Sizes = { "small", "large" };

    private static readonly Regex s_sizes = new(@"const int In = \d+, H = \d+, Out = \d+;");
    private static readonly Regex s_attribute = new(@"\[UnrolledCell\(\d+\)\]");
    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> s_assemblies = new();

    /// <summary>The fixture of <paramref name="cell"/> at <paramref name="size"/> in "f32" or "f64".</summary>
    public static PyTorchFixture Fixture(string cell, string size, string precision) =>
        PyTorchFixture.Load($"Examples/{cell}_{size}_{precision}");

    public static IUnrolledCell<T> Create<T>(string cell, string size)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var assembly = s_assemblies.GetOrAdd(cell, c => new Lazy<Assembly>(() => Compile(c))).Value;
        var type = assembly.GetType($"Examples.{cell}_{size}_{PrecisionOf<T>()}")!;
        return (IUnrolledCell<T>)Activator.CreateInstance(type)!;
    }

    private static Assembly Compile(string cell)
    {
        string source = DocsExamplesTests.DocsPage.Examples[cell];
        Assert.True(s_sizes.Matches(source).Count == 1, $"{cell}: the example must declare its sizes as 'const int In = .., H = .., Out = ..;', once.");
        Assert.True(s_attribute.Matches(source).Count == 1, $"{cell}: the example must carry a plain [UnrolledCell(k2)].");
        var variants = new string[Sizes.Length * 2];
        int index = 0;
        foreach (string size in Sizes)
        {
            var fixture = Fixture(cell, size, "f64");
            foreach (var (suffix, precision) in new[] { ("f32", "Single"), ("f64", "Double") })
            {
                string variant = s_sizes.Replace(source, $"const int In = {fixture.Size("inputs")}, H = {fixture.Size("hidden")}, Out = {fixture.Size("outputs")};");
                variant = s_attribute.Replace(variant, $"[UnrolledCell({fixture.Size("steps")}, Precision = Precision.{precision})]");
                variants[index++] = Regex.Replace(variant, $@"\bclass {cell}\b", $"class {cell}_{size}_{suffix}");
            }
        }

        return GeneratorHarness.CompileAndLoad(variants);
    }

    private static string PrecisionOf<T>() => typeof(T) == typeof(float) ? "f32" : "f64";
}
