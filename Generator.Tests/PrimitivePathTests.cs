extern alias GeneratorAssembly;

using GeneratorAssembly::UnrolledRnn.Generator.Primitives;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests;

/// <summary>
/// The cells of PrimitiveSizeGradientTests take the paths they are there to check: at H = 7 and 32 the generated steps
/// call the primitive's register forms (a fused loop), at H = 128 its span kernels only, forward and backward. (The
/// batched steps, over batch × H elements, call the kernels at every H.)
/// </summary>
public class PrimitivePathTests
{
    [Theory]
    [InlineData("sqrt", "h = sqrt(a * a + 0.25);")]
    [InlineData("log", "h = log(a * a + 1);")]
    [InlineData("elu", "h = elu(a);")]
    [InlineData("logsigmoid", "h = logsigmoid(a);")]
    [InlineData("abs", "h = tanh(abs(a) - 0.5 * a);")]
    [InlineData("square", "h = tanh(square(a) - 0.5);")]
    [InlineData("sin", "h = sin(a);")]
    [InlineData("cos", "h = cos(a);")]
    [InlineData("silu", "h = silu(a);")]
    [InlineData("gelu", "h = gelu(a);")]
    public void Fused_sizes_call_the_register_forms_and_larger_ones_the_kernels(string name, string statement)
    {
        var primitive = PrimitiveTable.Find(name)!;
        string[] registerCalls = [Stem(primitive.Register!), Stem(primitive.Derivative!.Register)];

        foreach (int size in new[] { 7, 32 })
        {
            string source = Generate(statement, size);
            Assert.All(registerCalls, call => Assert.Contains(call, source));
        }

        string large = Generate(statement, 128);
        Assert.All(registerCalls, call => Assert.DoesNotContain(call, large));
        Assert.Contains(Stem(primitive.Forward!), large);
        Assert.True(large.Contains(Stem(primitive.Derivative.Assign)) || large.Contains(Stem(primitive.Derivative.Accumulate)), "a backward kernel call");
    }

    /// <summary>The call's name up to its argument list or type argument: "Registers.Sqrt(", "TensorPrimitives.Sqrt&lt;".</summary>
    private static string Stem(string template) => template[..(template.IndexOfAny(['(', '<']) + 1)];

    private static string Generate(string statement, int size)
    {
        string source = $$"""
            using UnrolledRnn;
            using static UnrolledRnn.CellMath;

            namespace Examples;

            [UnrolledCell(3, Precision = Precision.Double)]
            public partial class Cell
            {
                static void Equations([Input(2)] Vec x, [State({{size}})] Vec h, [Output(2)] Vec y,
                    [Parameter({{size}}, 2)] Mat W_ih, [Parameter({{size}}, {{size}})] Mat W_hh, [Parameter({{size}})] Vec b, [Parameter(2, {{size}})] Mat W_out)
                {
                    var a = W_ih * x + W_hh * h + b;
                    {{statement}}
                    y = W_out * h;
                }
            }
            """;
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        return string.Concat(result.GeneratedSources.Values);
    }
}
