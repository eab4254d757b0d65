using System;
using UnrolledRnn.Inference;
using UnrolledRnn.Training;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// One standard configuration ready to time (docs/performance.md): a cell with its inputs, targets and buffers, all
/// allocated once here, so that <see cref="Update"/> and <see cref="Step"/> allocate nothing.
/// </summary>
public sealed class Workload
{
    /// <summary>The SGD learning rate: small, so that repeating the same window millions of times stays finite.</summary>
    public const double LearningRate = 1e-3;

    private readonly IUnrolledCell<float> _cell;
    private readonly IInferenceStream<float> _stream;
    private readonly float[] _inputs, _targets, _negatedTargets, _outputs, _outputGradients, _initialStateGradient, _stateAdjointNorms;
    private readonly MeanSquaredError<float> _loss = new();
    private readonly Sgd<float> _optimizer = new(LearningRate);
    private bool _negateTargets;

    public Workload(IUnrolledCell<float> cell, ulong seed = 1)
    {
        _cell = cell;
        cell.InitializeParameters(seed);
        int k2 = cell.TruncationLength;
        _inputs = new float[k2 * cell.InputSize];
        _targets = new float[k2 * cell.OutputSize];
        _negatedTargets = new float[k2 * cell.OutputSize];
        _outputs = new float[k2 * cell.OutputSize];
        _outputGradients = new float[k2 * cell.OutputSize];
        _initialStateGradient = new float[cell.StateSize];
        _stateAdjointNorms = new float[k2];
        var random = new Random((int)seed);
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)(random.NextDouble() * 2 - 1);
        }

        for (int i = 0; i < _targets.Length; i++)
        {
            _targets[i] = (float)(random.NextDouble() * 2 - 1);
            _negatedTargets[i] = -_targets[i];
        }

        _optimizer.Prepare(cell.ParameterCount);
        _stream = ((IInferenceCell<float>)cell).PrepareInference().CreateStream();
    }

    /// <summary>
    /// One TBPTT update with k1 = k2: Forward over k2 steps from the carried state, the MSE gradient at every
    /// step, Backward through all k2, one plain SGD step over the flat parameters, gradients set to zero.
    /// </summary>
    /// <remarks>
    /// The targets change sign at every update. With fixed targets the cell memorises the one window it is
    /// shown: the loss falls to 1e-10 within a few thousand updates, the adjoints become subnormal, and the
    /// update runs several times slower, timing the floating-point unit's subnormal path rather than the code.
    /// </remarks>
    public float Update()
    {
        var cell = _cell;
        int k2 = cell.TruncationLength, outputSize = cell.OutputSize;
        cell.Forward(_inputs, _outputs);
        float loss = 0;
        var targets = (_negateTargets = !_negateTargets) ? _negatedTargets : _targets;
        for (int t = 0; t < k2; t++)
        {
            loss += _loss.Evaluate(_outputs.AsSpan(t * outputSize, outputSize), targets.AsSpan(t * outputSize, outputSize),
                _outputGradients.AsSpan(t * outputSize, outputSize));
        }

        cell.Backward(_outputGradients, default, _initialStateGradient, _stateAdjointNorms);
        _optimizer.Step(cell.Parameters, cell.Gradients);
        cell.ZeroGradients();
        return loss;
    }

    /// <summary>One streaming inference step (cell and head) from the carried state, recording nothing.</summary>
    public float Step()
    {
        var output = _outputs.AsSpan(0, _cell.OutputSize);
        _cell.Step(_inputs.AsSpan(0, _cell.InputSize), output);
        return output[0];
    }

    /// <summary>
    /// One step of a stream over a prepared snapshot of the parameters taken at construction (<see cref="IInferenceCell{T}.PrepareInference"/>),
    /// as <see cref="Step"/> computes it but with the weights of each sum stacked and transposed.
    /// </summary>
    public float StreamStep()
    {
        var output = _outputs.AsSpan(0, _cell.OutputSize);
        _stream.Step(_inputs.AsSpan(0, _cell.InputSize), output);
        return output[0];
    }
}
