using System;
using System.Collections.Generic;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// TBPTT(k1, k2) with plain SGD and mean-squared error, written from the specification in docs/training.md with
/// nothing shared with the trainer: the whole history is kept in lists, the stream advances with the naive
/// network one step at a time, and every update builds its window from scratch (the recorded state k2 steps
/// back, a fresh naive Forward over the window with the current parameters, a naive Backward).
/// </summary>
public sealed class BruteForceTbptt
{
    private readonly NaiveNetwork _network;
    private readonly int _k1, _k2;
    private readonly double _learningRate;
    private readonly List<double[]> _inputs = new();
    private readonly List<double[]?> _targets = new();
    private readonly List<double[]> _states = new(); // _states[n]: the state after step n of the current sequence
    private double[] _initialState;
    private long _stepsSinceUpdate;
    private long _totalSteps;

    public BruteForceTbptt(NaiveNetwork network, int k1, int k2, double learningRate)
    {
        _network = network;
        _k1 = k1;
        _k2 = k2;
        _learningRate = learningRate;
        _initialState = new double[network.StateSize];
    }

    public List<Update> Updates { get; } = new();

    public double[] Parameters => _network.GetParameters();

    public double[] State => _states.Count > 0 ? _states[^1] : _initialState;

    public void Reset()
    {
        _inputs.Clear();
        _targets.Clear();
        _states.Clear();
        _initialState = new double[_network.StateSize];
        _stepsSinceUpdate = 0;
    }

    /// <summary>One step: returns the output streamed at this step (before any update).</summary>
    public double[] Step(double[] input, double[]? target)
    {
        var output = _network.Forward(new[] { input }, State)[0];
        _inputs.Add(input);
        _targets.Add(target);
        _states.Add(_network.FinalState);
        _stepsSinceUpdate++;
        _totalSteps++;
        if (_stepsSinceUpdate >= _k1 && _inputs.Count >= _k2)
        {
            MakeUpdate();
        }

        return output;
    }

    private void MakeUpdate()
    {
        int lossSteps = (int)Math.Min(_stepsSinceUpdate, _k2);
        _stepsSinceUpdate = 0;
        int start = _inputs.Count - _k2; // the window is steps start .. start + k2 - 1
        var windowInputs = _inputs.GetRange(start, _k2).ToArray();
        var startState = start == 0 ? _initialState : _states[start - 1];
        var outputs = _network.Forward(windowInputs, startState);

        double loss = 0;
        int count = 0;
        var outputGradients = new double[_k2][];
        for (int w = 0; w < _k2; w++)
        {
            outputGradients[w] = new double[outputs[w].Length];
            var target = _targets[start + w];
            if (w < _k2 - lossSteps || target is null)
            {
                continue;
            }

            int n = outputs[w].Length;
            for (int i = 0; i < n; i++)
            {
                double difference = outputs[w][i] - target[i];
                loss += difference * difference / n;
                outputGradients[w][i] = 2 * difference / n;
            }

            count++;
        }

        if (count == 0)
        {
            return;
        }

        var (gradient, norms, _) = _network.Backward(outputGradients);
        var parameters = _network.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= _learningRate * gradient[i];
        }

        _network.SetParameters(parameters);
        Updates.Add(new Update(_inputs.Count, _totalSteps, loss, count, gradient, norms, parameters));
    }

    /// <summary>
    /// One update: at which step of the sequence, after how many steps in all, its loss, the gradient, the
    /// adjoint norms, the parameters after it.
    /// </summary>
    public sealed record Update(int Step, long TotalSteps, double Loss, int LossSteps, double[] Gradient, double[] Norms, double[] ParametersAfter);
}
