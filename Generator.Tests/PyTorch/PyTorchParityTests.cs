using System;
using System.Numerics;
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
    /// <summary>float against PyTorch's float32: both round every operation to 6e-8, in different orders.</summary>
    private const double FloatTolerance = 1e-5;

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
        AssertMatches(CreateFloatCell(fixture), PyTorchFixture.Load(fixture + "_f32"), FloatTolerance);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Double_cell_matches_PyTorch_float64(string fixture) =>
        AssertMatches(CreateDoubleCell(fixture), PyTorchFixture.Load(fixture + "_f64"), DoubleTolerance);

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

    private void AssertMatches<T>(IUnrolledCell<T> cell, PyTorchFixture fixture, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // PyTorch's state_dict, loaded as it is: the default names, the default strictness.
        Checkpoint.Load(cell, fixture.WeightsPath);

        var initialState = fixture.GetState<T>("", "0");
        var inputs = fixture.Get<T>("input");
        var outputGradients = fixture.Get<T>("loss.dL_dy");
        var finalStateGradient = fixture.GetState<T>("loss.dL_d", "_n");
        var outputs = new T[cell.TruncationLength * cell.OutputSize];
        var initialStateGradient = new T[cell.StateSize];

        initialState.CopyTo(cell.State);
        cell.ZeroGradients();
        cell.Forward(inputs, outputs);
        var finalState = cell.State.ToArray();
        cell.Backward(outputGradients, finalStateGradient, initialStateGradient, new T[cell.TruncationLength]);

        var agreement = new Agreement();
        agreement.Add("outputs", false, ToDouble<T>(outputs), fixture.Get("output"));
        agreement.Add("final state", false, ToDouble<T>(finalState), fixture.GetState("", "_n"));
        agreement.Add("outputs of k2 Steps", false, ToDouble<T>(Steps(cell, initialState, inputs)), fixture.Get("output"));
        foreach (var tensor in cell.ParameterTensors)
        {
            string name = CheckpointNames.PyTorch.ToCheckpointName(tensor.Name);
            agreement.Add($"dL/d{tensor.Name} ({name})", true,
                ToDouble<T>(cell.Gradients.Slice(tensor.Offset, tensor.Length)), fixture.Get("grad." + name));
        }

        agreement.Add("dL/d(initial state)", true, ToDouble<T>(initialStateGradient), fixture.GetState("grad.", "0"));
        agreement.PrintAndAssert(_output, $"{cell.GetType().Name} against PyTorch ({fixture.Name})", tolerance);
    }

    /// <summary>The outputs of k2 streaming steps from <paramref name="initialState"/>.</summary>
    private static T[] Steps<T>(IUnrolledCell<T> cell, T[] initialState, T[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputs = new T[cell.TruncationLength * cell.OutputSize];
        initialState.CopyTo(cell.State);
        for (int t = 0; t < cell.TruncationLength; t++)
        {
            cell.Step(inputs.AsSpan(t * cell.InputSize, cell.InputSize), outputs.AsSpan(t * cell.OutputSize, cell.OutputSize));
        }

        return outputs;
    }

    private static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateChecked(values[i]);
        }

        return result;
    }
}
