using System;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.PyTorch;

/// <summary>
/// PyTorch as the outside referee. For nn.RNN (tanh, relu), nn.LSTM and nn.GRU with a linear head, at two sizes:
/// load PyTorch's weights through <see cref="Checkpoint.Load{T}(IUnrolledCell{T}, string, CheckpointNames?, CheckpointLoadOptions?)"/>
/// (PyTorch's names and gate layout, unchanged), run Forward and Backward over PyTorch's window, and require the
/// outputs, the final state, every parameter gradient and the initial-state gradient to match PyTorch's; Step,
/// run k2 times, must reproduce the outputs too. A float cell is compared with PyTorch in float32, a double cell
/// with PyTorch in float64. Differences are relative per quantity (see <see cref="Agreement"/>).
/// </summary>
public sealed class PyTorchParityTests
{
    /// <summary>double against PyTorch's float64: round-off is about 1e-16 per operation.</summary>
    private const double DoubleTolerance = 1e-10;

    private readonly ITestOutputHelper _output;

    public PyTorchParityTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Fixtures => new()
    {
        "rnn_tanh_small", "rnn_tanh_large", "rnn_relu_small", "rnn_relu_large",
        "lstm_small", "lstm_large", "gru_small", "gru_large",
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Float_cell_matches_PyTorch_float32(string fixture) =>
        PyTorchComparison.AssertMatches(CreateFloatCell(fixture), PyTorchFixture.Load(fixture + "_f32"), CheckpointNames.PyTorch, PyTorchComparison.FloatTolerance, _output);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Double_cell_matches_PyTorch_float64(string fixture) =>
        PyTorchComparison.AssertMatches(CreateDoubleCell(fixture), PyTorchFixture.Load(fixture + "_f64"), CheckpointNames.PyTorch, DoubleTolerance, _output);

    private static IUnrolledCell<float> CreateFloatCell(string fixture) => fixture switch
    {
        "rnn_tanh_small" => new TorchRnnTanhSmallF32(),
        "rnn_tanh_large" => new TorchRnnTanhLargeF32(),
        "rnn_relu_small" => new TorchRnnReluSmallF32(),
        "rnn_relu_large" => new TorchRnnReluLargeF32(),
        "lstm_small" => new TorchLstmSmallF32(),
        "lstm_large" => new TorchLstmLargeF32(),
        "gru_small" => new TorchGruSmallF32(),
        "gru_large" => new TorchGruLargeF32(),
        _ => throw new ArgumentOutOfRangeException(nameof(fixture), fixture, null),
    };

    private static IUnrolledCell<double> CreateDoubleCell(string fixture) => fixture switch
    {
        "rnn_tanh_small" => new TorchRnnTanhSmallF64(),
        "rnn_tanh_large" => new TorchRnnTanhLargeF64(),
        "rnn_relu_small" => new TorchRnnReluSmallF64(),
        "rnn_relu_large" => new TorchRnnReluLargeF64(),
        "lstm_small" => new TorchLstmSmallF64(),
        "lstm_large" => new TorchLstmLargeF64(),
        "gru_small" => new TorchGruSmallF64(),
        "gru_large" => new TorchGruLargeF64(),
        _ => throw new ArgumentOutOfRangeException(nameof(fixture), fixture, null),
    };
}
