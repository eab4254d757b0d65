using System.Linq;
using Microsoft.CodeAnalysis;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests;

/// <summary>
/// While a cell's equations have errors, its members' signatures are still generated: the code that uses the
/// cell keeps compiling, and the user sees the errors in the equations, not a cascade of "member not found".
/// </summary>
public class SignatureOnErrorTests
{
    private const string BrokenCellAndItsUser = """
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        namespace Broken;

        [UnrolledCell(4)]
        public partial class Elman
        {
            const int In = 3, H = 4, Out = 2;

            static void Equations([Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
                [Parameter(H, In)] Mat W, [Parameter(H, H)] Mat U, [Parameter(Out, H)] Mat V)
            {
                h = tanh(W * x + U * q);
                y = V * h;
            }
        }

        public static class User
        {
            public static float Run()
            {
                var cell = new Elman();
                cell.InitializeParameters(1);
                var outputs = new float[Elman.TruncationLength * Elman.OutputSize];
                cell.Forward(new float[Elman.TruncationLength * Elman.InputSize], outputs);
                cell.Backward(outputs, default, new float[Elman.StateSize], new float[Elman.TruncationLength]);
                cell.Step(new float[Elman.InputSize], new float[Elman.OutputSize]);
                IUnrolledCell<float> asInterface = cell;
                return cell.Parameter_W[0] + cell.Gradient_V[0] + cell.State_h[0] + asInterface.ParameterCount;
            }
        }
        """;

    [Fact]
    public void Errors_in_the_equations_leave_only_those_errors()
    {
        var result = GeneratorHarness.Run(BrokenCellAndItsUser);

        var errors = result.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var unknownName = Assert.Single(errors, d => d.Id == "URNN009");
        Assert.Contains("'q'", unknownName.GetMessage());
        // The C# compiler's own error for the unknown name, at the same place: nothing else.
        Assert.All(errors.Where(d => d.Id != "URNN009"), d => Assert.Equal("CS0103", d.Id));
        string generated = result.GeneratedSources.Values.Single();
        Assert.Contains("only the signatures of its members are", generated);
        Assert.DoesNotContain("private void ForwardStep", generated);
    }

    [Fact]
    public void Errors_in_the_declaration_generate_nothing()
    {
        var result = GeneratorHarness.Run(BrokenCellAndItsUser.Replace("[State(H)] Vec h", "[State(0)] Vec h"));

        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "URNN007");
        Assert.Empty(result.GeneratedSources);
    }
}
