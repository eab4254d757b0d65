using System;
using System.Collections.Generic;
using UnrolledRnn.Tests.Reference;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// NaiveElman or NaiveLstm behind one face, with their parameters read from and written to the flat layout of a
/// generated cell (by tensor name), so that the training tests can run the naive references on the cell's
/// parameters and compare gradients element by element.
/// </summary>
public sealed class NaiveNetwork
{
    private readonly Func<double[][], double[], double[][]> _forward;
    private readonly Func<double[]> _finalState;
    private readonly Func<double[][], double[], NaiveGradients> _backward;
    private readonly Dictionary<string, Array> _parameters;
    private readonly IReadOnlyList<ParameterTensor> _tensors;

    private NaiveNetwork(
        Func<double[][], double[], double[][]> forward, Func<double[]> finalState, Func<double[][], double[], NaiveGradients> backward,
        Dictionary<string, Array> parameters, IReadOnlyList<ParameterTensor> tensors, int stateSize, int parameterCount)
    {
        _forward = forward;
        _finalState = finalState;
        _backward = backward;
        _parameters = parameters;
        _tensors = tensors;
        StateSize = stateSize;
        ParameterCount = parameterCount;
    }

    public int StateSize { get; }

    public int ParameterCount { get; }

    /// <summary>A naive Elman with the sizes and parameter layout of <paramref name="cell"/>.</summary>
    public static NaiveNetwork Elman(IUnrolledCell<double> cell, int hidden)
    {
        var naive = new NaiveElman(cell.InputSize, hidden, cell.OutputSize);
        var parameters = new Dictionary<string, Array>
        {
            ["W_ih"] = naive.W_ih, ["W_hh"] = naive.W_hh, ["b_ih"] = naive.b_ih, ["b_hh"] = naive.b_hh, ["W_out"] = naive.W_out, ["b_out"] = naive.b_out,
        };
        var network = new NaiveNetwork(naive.Forward, () => naive.FinalState, naive.Backward, parameters, cell.ParameterTensors, hidden, cell.ParameterCount);
        network.SetParameters(cell.Parameters.ToArray());
        return network;
    }

    /// <summary>A naive LSTM with the sizes and parameter layout of <paramref name="cell"/>.</summary>
    public static NaiveNetwork Lstm(IUnrolledCell<double> cell, int hidden)
    {
        var naive = new NaiveLstm(cell.InputSize, hidden, cell.OutputSize);
        var parameters = new Dictionary<string, Array>
        {
            ["W_ih"] = naive.W_ih, ["W_hh"] = naive.W_hh, ["b_ih"] = naive.b_ih, ["b_hh"] = naive.b_hh, ["W_out"] = naive.W_out, ["b_out"] = naive.b_out,
        };
        var network = new NaiveNetwork(naive.Forward, () => naive.FinalState, naive.Backward, parameters, cell.ParameterTensors, 2 * hidden, cell.ParameterCount);
        network.SetParameters(cell.Parameters.ToArray());
        return network;
    }

    /// <summary>Runs the steps from <paramref name="initialState"/>; returns the outputs (the final state is <see cref="FinalState"/>).</summary>
    public double[][] Forward(double[][] inputs, double[] initialState) => _forward(inputs, initialState);

    public double[] FinalState => (double[])_finalState().Clone();

    /// <summary>Full BPTT through the last Forward; returns the flat gradient, the state-adjoint norms and dL/ds_{-1}.</summary>
    public (double[] Gradient, double[] Norms, double[] InitialStateGradient) Backward(double[][] outputGradients)
    {
        var gradients = _backward(outputGradients, new double[StateSize]);
        var flat = new double[ParameterCount];
        foreach (var tensor in _tensors)
        {
            var matrix = gradients.Parameters[tensor.Name];
            for (int r = 0; r < tensor.Rows; r++)
            {
                for (int c = 0; c < tensor.Columns; c++)
                {
                    flat[tensor.Offset + r * tensor.Columns + c] = matrix[r, c];
                }
            }
        }

        return (flat, gradients.StateAdjointNorms, gradients.InitialStateGradient);
    }

    public double[] GetParameters()
    {
        var flat = new double[ParameterCount];
        foreach (var tensor in _tensors)
        {
            var array = _parameters[tensor.Name];
            for (int r = 0; r < tensor.Rows; r++)
            {
                for (int c = 0; c < tensor.Columns; c++)
                {
                    flat[tensor.Offset + r * tensor.Columns + c] = array is double[,] matrix ? matrix[r, c] : ((double[])array)[r];
                }
            }
        }

        return flat;
    }

    public void SetParameters(double[] flat)
    {
        foreach (var tensor in _tensors)
        {
            var array = _parameters[tensor.Name];
            for (int r = 0; r < tensor.Rows; r++)
            {
                for (int c = 0; c < tensor.Columns; c++)
                {
                    double value = flat[tensor.Offset + r * tensor.Columns + c];
                    if (array is double[,] matrix)
                    {
                        matrix[r, c] = value;
                    }
                    else
                    {
                        ((double[])array)[r] = value;
                    }
                }
            }
        }
    }
}
