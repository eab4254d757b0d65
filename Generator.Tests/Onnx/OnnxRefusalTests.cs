extern alias GeneratorAssembly;

using System;
using System.Reflection;
using GeneratorAssembly::UnrolledRnn.Generator.Emit;
using GeneratorAssembly::UnrolledRnn.Generator.Graph;
using GeneratorAssembly::UnrolledRnn.Generator.Primitives;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// A function with no ONNX operator (a primitive of the test's own, "erf", with an empty ONNX column; and the language's
/// logsigmoid, square, silu and gelu, which opset 17 has no single operator for): the generated <c>OnnxStepGraph</c>
/// getter compiles, and throws a NotSupportedException naming the cell, the expression and the function, where a
/// description would be.
/// </summary>
public sealed class OnnxRefusalTests
{
    /// <summary>The operator cells (OperatorCells.cs) of the functions without an ONNX operator, with the function's name.</summary>
    public static readonly System.Collections.Generic.Dictionary<string, string> CellsWithoutOperator = new()
    {
        [nameof(Cells.OpLogSigmoid)] = "logsigmoid",
        [nameof(Cells.OpSquare)] = "square",
        [nameof(Cells.OpSilu)] = "silu",
        [nameof(Cells.OpGelu)] = "gelu",
    };

    public static TheoryData<string> RefusedCells => new(CellsWithoutOperator.Keys);

    [Theory]
    [MemberData(nameof(RefusedCells))]
    public void The_language_functions_without_an_ONNX_operator_are_refused_by_name(string name)
    {
        var cell = (IOnnxExportable)Activator.CreateInstance(typeof(Cells.OpAdd).Assembly.GetType(typeof(Cells.OpAdd).Namespace + "." + name)!)!;
        var refusal = Assert.Throws<NotSupportedException>(() => cell.OnnxStepGraph);
        Assert.StartsWith($"The cell {name} cannot be exported to ONNX: '", refusal.Message);
        Assert.EndsWith($"': ONNX has no operator for {CellsWithoutOperator[name]}.", refusal.Message);
    }

    private static readonly Primitive s_erf = new("erf", 1, forward: "Erf<{T}>({x}, {y})", fastForward: null, derivative: null, onnx: null);

    [Fact]
    public void A_function_without_an_ONNX_operator_makes_the_getter_throw_naming_it()
    {
        var b = new CellBuilder().Input("x", 3).State("h", 4).Output("y", 2).Matrix("W_ih", 4, 3).Matrix("W_hh", 4, 4).Matrix("W_out", 2, 4);
        var call = E.Call(s_erf, b.Times("W_ih", b["x"]) + b.Times("W_hh", b["h"]));
        b.Assign("h", call);
        b.Assign("y", b.Times("W_out", b["h"]));
        var writer = new SourceWriter();
        OnnxGraphEmitter.Emit(writer, CellGraph.Build(b.Build()));
        string emitted = writer.ToString();
        Assert.DoesNotContain("OnnxDescription", emitted);

        var probe = GeneratorHarness.CompileAndLoad($"namespace Probes; public sealed class Probe {{\n{emitted}\n}}").GetType("Probes.Probe")!;
        var getter = probe.GetProperty("OnnxStepGraph")!;
        var thrown = Assert.Throws<TargetInvocationException>(() => getter.GetValue(Activator.CreateInstance(probe)));
        var refusal = Assert.IsType<NotSupportedException>(thrown.InnerException);
        Assert.StartsWith("erf(", call.Expr.Text);
        Assert.Equal($"The cell Cell cannot be exported to ONNX: '{call.Expr.Text}': ONNX has no operator for erf.", refusal.Message);
    }
}
