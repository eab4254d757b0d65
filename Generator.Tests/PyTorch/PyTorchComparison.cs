using System;
using System.Numerics;
using UnrolledRnn.Checkpoints;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.PyTorch;

/// <summary>
/// One generated cell against one PyTorch fixture: the fixture's weights loaded through
/// <see cref="Checkpoint.Load{T}(IUnrolledCell{T}, string, CheckpointNames?, CheckpointLoadOptions?)"/>, then
/// Forward and Backward over PyTorch's window (and k2 Steps), and the outputs, the final state, every parameter
/// gradient and the initial-state gradient compared with PyTorch's (see <see cref="Agreement"/>).
/// </summary>
public static class PyTorchComparison
{
    /// <summary>float against PyTorch's float32: both round every operation to 6e-8, in different orders.</summary>
    public const double FloatTolerance = 1e-5;

    /// <summary>Asserts every quantity within <paramref name="tolerance"/> and returns the comparison.</summary>
    /// <param name="names">How the cell's parameters are named in the fixture (the PyTorch convention, or verbatim).</param>
    public static Agreement AssertMatches<T>(IUnrolledCell<T> cell, PyTorchFixture fixture, CheckpointNames names, double tolerance, ITestOutputHelper output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // PyTorch's state_dict, loaded as it is: the given names, the default strictness.
        Checkpoint.Load(cell, fixture.WeightsPath, names);

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
            string name = names.ToCheckpointName(tensor.Name);
            agreement.Add($"dL/d{tensor.Name} ({name})", true,
                ToDouble<T>(cell.Gradients.Slice(tensor.Offset, tensor.Length)), fixture.Get("grad." + name));
        }

        agreement.Add("dL/d(initial state)", true, ToDouble<T>(initialStateGradient), fixture.GetState("grad.", "0"));
        agreement.PrintAndAssert(output, $"{cell.GetType().Name} against PyTorch ({fixture.Name})", tolerance);
        return agreement;
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
