using System;
using System.Linq;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// Every ONNX pattern the generator writes, run: each one-operator cell of OperatorCells.cs (double), initialized and
/// every parameter perturbed (no bias at zero), exported, and 100 streamed steps and a 100-step sequence run in ONNX
/// Runtime against Step, within 1e-12. These cells are not built to be trained or run long: a few updates at the docs
/// examples' rate make OpMatVec's and OpExp's parameters NaN, and 1,000 steps overflow their recurrences. Seven are
/// elsewhere: OpSoftplus and OpElu (ONNX Runtime has no double Softplus or Elu: OnnxRuntimeLimitsTests), OpFastActivations
/// (OnnxFastActivationsTests), and the cells of the functions with no single ONNX operator (OnnxRefusalTests).
/// </summary>
public sealed class OnnxOperatorCellsTests
{
    private const int Steps = 100;

    private readonly ITestOutputHelper _output;

    public OnnxOperatorCellsTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Cells
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var type in typeof(OpAdd).Assembly.GetTypes()
                         .Where(t => !t.IsNested && t.Namespace == typeof(OpAdd).Namespace && t.Name.StartsWith("Op", StringComparison.Ordinal)
                                     && t.Name is not (nameof(OpSoftplus) or nameof(OpElu) or nameof(OpFastActivations))
                                     && !OnnxRefusalTests.CellsWithoutOperator.ContainsKey(t.Name))
                         .OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                data.Add(type.Name);
            }

            return data;
        }
    }

    [Fact]
    public void Every_operator_cell_but_seven_is_run() => Assert.Equal(25, Cells.Count);

    [Theory]
    [MemberData(nameof(Cells))]
    public void Export_matches_Step_in_ONNX_Runtime(string name)
    {
        var cell = (IUnrolledCell<double>)Activator.CreateInstance(typeof(OpAdd).Assembly.GetType(typeof(OpAdd).Namespace + "." + name)!)!;
        cell.InitializeParameters(17);
        var random = new Random(17);
        foreach (ref double parameter in cell.Parameters)
        {
            parameter += 0.2 * (random.NextDouble() - 0.5);
        }

        using var directory = new TemporaryDirectory();
        var paths = cell.ExportOnnx(directory.File("cell.onnx"), OnnxExport.Step | OnnxExport.Sequence);
        var graph = ((IOnnxExportable)cell).OnnxStepGraph;
        double step = OrtReferee.CompareSteps(cell, graph, paths[0], Steps, OnnxDocsExamplesTests.DoubleTolerance, seed: 1);
        double sequence = OrtReferee.CompareSequence(cell, graph, paths[1], Steps, OnnxDocsExamplesTests.DoubleTolerance, seed: 2);
        _output.WriteLine($"{name}: step model {step:E2} ({Steps} steps), sequence model {sequence:E2} ({Steps} steps); operators {string.Join(", ", graph.Nodes.Select(n => n.OpType).Distinct())}");
    }
}
