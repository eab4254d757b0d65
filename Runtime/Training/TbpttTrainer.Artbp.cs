using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace UnrolledRnn.Training;

public sealed partial class TbpttTrainer<TCell, T>
{
    private readonly ArtbpState? _artbp;

    /// <summary>
    /// ARTBP's estimate of the window's gradient, accumulated into the cell's (zeroed) gradients; returns the
    /// drawn truncation length L. On entry the window has been recomputed and <see cref="_windowOutputGradients"/>
    /// holds dL/dy of the loss steps.
    /// </summary>
    /// <remarks>
    /// Let C_d be the gradient contributed by the step d steps before the end (d = 0 .. k2-1), with the full
    /// adjoint of that step. With Q(d) = P(L &gt; d) = Π_{l=1}^{d} (1 - c_l), the estimate is
    /// Σ_{d &lt; L} C_d / Q(d), unbiased for Σ_d C_d (the window's gradient). A generated Backward cannot weigh its
    /// steps differently, so the estimate is assembled from gradients truncated at l steps, G_l = Σ_{d &lt; l} C_d:
    /// Σ_{d &lt; L} w_d C_d = w_{L-1} G_L + Σ_{l &lt; L} (w_{l-1} - w_l) G_l, with w_d = 1/Q(d). G_l is one
    /// Forward and Backward from the state l steps before the end, over those l steps followed by k2 - l padding
    /// steps with zero input and zero dL/dy (which contribute exactly nothing); the weights scale dL/dy, since the
    /// gradient is linear in it. Terms with c_l = 0 vanish, so each distance that can truncate costs one window.
    /// </remarks>
    private int ArtbpBackward()
    {
        var artbp = _artbp!;
        var schedule = artbp.Schedule;

        // Walk back from the end of the window: truncate on crossing distance l with probability c_l.
        int length = _k2;
        for (int l = 1; l < _k2; l++)
        {
            double hazard = schedule.Hazard(l);
            if (hazard > 0 && artbp.Random.NextDouble() < hazard)
            {
                length = l;
                break;
            }
        }

        // w_d = 1 / P(L > d): the product of the compensations 1/(1 - c_l) of the crossings l = 1 .. d.
        var weights = artbp.Weights;
        double survival = 1;
        bool needsInnerStates = length < _k2;
        for (int d = 0; d < length; d++)
        {
            weights[d] = 1 / survival;
            double hazard = schedule.Hazard(d + 1);
            survival *= 1 - hazard;
            needsInnerStates |= d + 1 < length && hazard > 0;
        }

        // The states inside the window, recomputed with the current parameters (those of the window's Forward).
        if (needsInnerStates)
        {
            _windowStartState.CopyTo(_cell.State);
            for (int w = 0; w < _k2 - 1; w++)
            {
                _cell.Step(_windowInputs.AsSpan(w * _inputSize, _inputSize), artbp.StepOutput);
                _cell.State.CopyTo(artbp.InnerStates.AsSpan(w * _stateSize, _stateSize));
            }
        }

        // G_L, weighted w_{L-1}; its adjoint norms become the report's.
        BackwardTruncated(length, weights[length - 1], artbp.Norms);
        for (int l = 1; l < length; l++)
        {
            double coefficient = weights[l - 1] - weights[l];
            if (coefficient != 0)
            {
                BackwardTruncated(l, coefficient, _stateAdjointNorms);
            }
        }

        // Element d of the report: the compensated adjoint w_d ‖dL/ds‖ of the state d steps before the end.
        // In G_L's padded window that state is k2 - L + d steps before the end, and its adjoint was scaled by w_{L-1}.
        for (int d = 0; d < _k2; d++)
        {
            _stateAdjointNorms[d] = d < length
                ? artbp.Norms[_k2 - length + d] * T.CreateChecked(weights[d] / weights[length - 1])
                : T.Zero;
        }

        return length;
    }

    /// <summary>
    /// Adds <paramref name="coefficient"/> × G_l to the gradients: the gradient of the window's loss with the state
    /// <paramref name="steps"/> steps before the end taken as a constant.
    /// </summary>
    private void BackwardTruncated(int steps, double coefficient, Span<T> norms)
    {
        var artbp = _artbp!;
        T scale = T.CreateChecked(coefficient);
        var outputGradients = artbp.OutputGradients.AsSpan();
        if (steps == _k2)
        {
            _windowStartState.CopyTo(_cell.State);
            TensorPrimitives.Multiply(_windowOutputGradients, scale, outputGradients);
            _cell.Forward(_windowInputs, artbp.Outputs);
        }
        else
        {
            // The last `steps` steps of the window first, then padding: zero inputs, zero dL/dy.
            int first = _k2 - steps;
            artbp.InnerStates.AsSpan((first - 1) * _stateSize, _stateSize).CopyTo(_cell.State);
            var inputs = artbp.Inputs.AsSpan();
            _windowInputs.AsSpan(first * _inputSize, steps * _inputSize).CopyTo(inputs);
            inputs.Slice(steps * _inputSize).Clear();
            TensorPrimitives.Multiply(_windowOutputGradients.AsSpan(first * _outputSize, steps * _outputSize), scale, outputGradients);
            outputGradients.Slice(steps * _outputSize).Clear();
            _cell.Forward(inputs, artbp.Outputs);
        }

        _cell.Backward(outputGradients, ReadOnlySpan<T>.Empty, _initialStateGradient, norms);
    }

    /// <summary>The schedule, the random source and the buffers of ARTBP, allocated with the trainer.</summary>
    private sealed class ArtbpState
    {
        public ArtbpState(ArtbpSchedule schedule, int seed, int k2, int inputSize, int outputSize, int stateSize)
        {
            Schedule = schedule;
            Random = new Random(seed);
            Weights = new double[k2];
            InnerStates = new T[Math.Max(k2 - 1, 0) * stateSize];
            Inputs = new T[k2 * inputSize];
            OutputGradients = new T[k2 * outputSize];
            Outputs = new T[k2 * outputSize];
            Norms = new T[k2];
            StepOutput = new T[outputSize];
        }

        public ArtbpSchedule Schedule { get; }

        public Random Random { get; }

        /// <summary>w_d = 1/P(L &gt; d) for d &lt; L.</summary>
        public double[] Weights { get; }

        /// <summary>Element w: the state after step w of the window (w = 0 .. k2-2), recomputed.</summary>
        public T[] InnerStates { get; }

        public T[] Inputs { get; }

        public T[] OutputGradients { get; }

        public T[] Outputs { get; }

        public T[] Norms { get; }

        public T[] StepOutput { get; }
    }
}
