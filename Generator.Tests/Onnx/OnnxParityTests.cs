using System;
using System.Numerics;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// docs/equations.md's Elman (tanh), LSTM and GRU cells (PyTorch's layouts, In = 16, H = 32, Out = 4), in float and double, trained a few updates, exported, and run
/// in ONNX Runtime: 1,000 streamed steps of the step model and a 256-step run of the sequence model (from a
/// non-zero state) must match the cell's own Step.
/// </summary>
public sealed class OnnxParityTests
{
    /// <summary>float: both sides round every operation to 6e-8, in different orders and with different tanh and sigmoid.</summary>
    private const double FloatTolerance = 1e-5;

    /// <summary>double: ONNX Runtime computes every operator of these graphs in double.</summary>
    private const double DoubleTolerance = 1e-12;

    private readonly ITestOutputHelper _output;

    public OnnxParityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Elman_float_matches_Step_in_ONNX_Runtime() =>
        AssertMatches(TrainedCells.Trained<TorchRnnTanhLargeF32, float>(new()), FloatTolerance);

    [Fact]
    public void Elman_double_matches_Step_in_ONNX_Runtime() =>
        AssertMatches(TrainedCells.Trained<TorchRnnTanhLargeF64, double>(new()), DoubleTolerance);

    [Fact]
    public void Lstm_float_matches_Step_in_ONNX_Runtime() =>
        AssertMatches(TrainedCells.Trained<TorchLstmLargeF32, float>(new()), FloatTolerance);

    [Fact]
    public void Lstm_double_matches_Step_in_ONNX_Runtime() =>
        AssertMatches(TrainedCells.Trained<TorchLstmLargeF64, double>(new()), DoubleTolerance);

    [Fact]
    public void Gru_float_matches_Step_in_ONNX_Runtime() =>
        AssertMatches(TrainedCells.Trained<TorchGruLargeF32, float>(new()), FloatTolerance);

    [Fact]
    public void Gru_double_matches_Step_in_ONNX_Runtime() =>
        AssertMatches(TrainedCells.Trained<TorchGruLargeF64, double>(new()), DoubleTolerance);

    private void AssertMatches<T>(IUnrolledCell<T> cell, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var directory = new TemporaryDirectory();
        var paths = cell.ExportOnnx(directory.File("cell.onnx"), OnnxExport.Step | OnnxExport.Sequence);
        Assert.Equal(new[] { directory.File("cell.step.onnx"), directory.File("cell.sequence.onnx") }, paths);
        var graph = ((IOnnxExportable)cell).OnnxStepGraph;

        double step = OrtReferee.CompareSteps(cell, graph, paths[0], 1000, tolerance, seed: 1);
        // The sequence run starts where the 1,000 steps left the state: a non-zero initial state.
        double sequence = OrtReferee.CompareSequence(cell, graph, paths[1], 256, tolerance, seed: 2);
        _output.WriteLine($"{cell.GetType().Name}: largest relative difference to Step: step model {step:E2} (1,000 steps), " +
                          $"sequence model {sequence:E2} (256 steps); tolerance {tolerance:E0}");
        Assert.Equal(new[] { "cell.sequence.onnx", "cell.step.onnx" }, directory.FileNames());
    }
}
