using System;
using System.Numerics;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>A cell after a few plain gradient-descent updates on random data, so that no parameter is at its initial value.</summary>
public static class TrainedCells
{
    public static TCell Trained<TCell, T>(TCell cell, int updates = 5, ulong seed = 17)
        where TCell : IUnrolledCell<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        cell.InitializeParameters(seed);
        var random = new Random((int)seed);
        int k2 = cell.TruncationLength;
        var inputs = new T[k2 * cell.InputSize];
        var outputs = new T[k2 * cell.OutputSize];
        var gradients = new T[k2 * cell.OutputSize];
        var stateGradient = new T[cell.StateSize];
        var norms = new T[k2];
        T rate = T.CreateChecked(0.05);
        for (int update = 0; update < updates; update++)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = T.CreateChecked(2 * random.NextDouble() - 1);
            }

            cell.ZeroGradients();
            cell.Forward(inputs, outputs);
            // dL/dy of L = ½‖y − target‖², the targets random in [-1, 1].
            for (int i = 0; i < outputs.Length; i++)
            {
                gradients[i] = outputs[i] - T.CreateChecked(2 * random.NextDouble() - 1);
            }

            cell.Backward(gradients, default, stateGradient, norms);
            var parameters = cell.Parameters;
            var parameterGradients = cell.Gradients;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= rate * parameterGradients[i];
            }
        }

        cell.ResetState();
        return cell;
    }
}
