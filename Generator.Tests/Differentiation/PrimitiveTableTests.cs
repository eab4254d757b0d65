extern alias GeneratorAssembly;

using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using GeneratorAssembly::UnrolledRnn.Generator.Parsing;
using GeneratorAssembly::UnrolledRnn.Generator.Primitives;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Differentiation;

/// <summary>
/// The table of primitives is the generator's one list of functions: users call them through the runtime's
/// CellMath, and docs/equations.md documents them. Both must list exactly the table's entries.
/// </summary>
public class PrimitiveTableTests
{
    [Fact]
    public void CellMath_declares_exactly_the_primitives_with_their_arity()
    {
        // concat, layernorm, max and min are read by the parser itself, not through the table: they are not functions of one vector.
        var methods = typeof(CellMath).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name is not (EquationReader.Concat or EquationReader.LayerNorm or "max" or "min")).ToList();

        Assert.Equal(PrimitiveTable.All.Select(p => p.Name).OrderBy(n => n), methods.Select(m => m.Name).OrderBy(n => n));
        foreach (var primitive in PrimitiveTable.All)
        {
            var method = methods.Single(m => m.Name == primitive.Name);
            Assert.Equal(typeof(Vec), method.ReturnType);
            Assert.Equal(Enumerable.Repeat(typeof(Vec), primitive.Arity), method.GetParameters().Select(p => p.ParameterType));
        }
    }

    [Fact]
    public void The_function_table_of_the_equations_page_lists_every_primitive_in_order()
    {
        string page = DocsFiles.Read("equations.md");
        var documented = Regex.Matches(page, @"^\| `(\w+)\(v\)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value);

        Assert.Equal(PrimitiveTable.All.Select(p => p.Name), documented);
        Assert.Contains("using static UnrolledRnn.CellMath;   // " + string.Join(", ", PrimitiveTable.All.Select(p => p.Name)), page);
    }

    [Fact]
    public void Every_kernel_template_names_its_operands()
    {
        foreach (var primitive in PrimitiveTable.All)
        {
            foreach (string? forward in new[] { primitive.Forward, primitive.FastForward })
            {
                Assert.True(forward is null || (forward.Contains("{x}") && forward.Contains("{y}") && forward.Contains("<{T}>")), $"{primitive}: {forward}");
            }

            if (primitive.Derivative is { } derivative)
            {
                // A derivative reads the output y or the argument x, and its comment, kernels and register form agree on which.
                string operand = derivative.ReadsArgument ? "{x}" : "{y}";
                Assert.All(new[] { derivative.Assign, derivative.Accumulate }, kernel =>
                    Assert.True(kernel.Contains(operand) && kernel.Contains("{dy}") && kernel.Contains("{dx}") && kernel.Contains("<{T}>"), $"{primitive}: {kernel}"));
                Assert.All(new[] { derivative.Factor, derivative.Register }, text => Assert.Contains(operand, text));
                Assert.Equal(derivative.ReadsArgument, derivative.Accumulate.Contains("{x}"));
                Assert.Equal(derivative.ReadsArgument, derivative.Register.Contains("{x}"));
            }
        }
    }
}
