using System;

namespace UnrolledRnn.Tests.Reference;

/// <summary>
/// A deliberately naive Elman network in double precision, written from the textbook and independent of the
/// generator and of every kernel in the runtime: plain arrays and nested for-loops.
/// <code>
/// h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
/// y_t = W_out h_t + b_out
/// </code>
/// Forward runs T steps from an initial state and keeps every h_t; Backward is full backpropagation through
/// those T steps for a loss whose gradients dL/dy_t and dL/dh_{T-1} are given.
/// </summary>
public sealed class NaiveElman : INaiveNetwork
{
    public NaiveElman(int inputSize, int hiddenSize, int outputSize)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        OutputSize = outputSize;
        W_ih = new double[hiddenSize, inputSize];
        W_hh = new double[hiddenSize, hiddenSize];
        b_ih = new double[hiddenSize];
        b_hh = new double[hiddenSize];
        W_out = new double[outputSize, hiddenSize];
        b_out = new double[outputSize];
    }

    public int InputSize { get; }

    public int HiddenSize { get; }

    public int OutputSize { get; }

    // The parameters, named as in the cell. Matrices are [row, column].
    public double[,] W_ih { get; }

    public double[,] W_hh { get; }

    public double[] b_ih { get; }

    public double[] b_hh { get; }

    public double[,] W_out { get; }

    public double[] b_out { get; }

    // What Forward recorded for Backward.
    private double[][] _inputs = Array.Empty<double[]>();
    private double[] _initialState = Array.Empty<double>();
    private double[][] _hidden = Array.Empty<double[]>(); // _hidden[t] = h_t

    /// <summary>
    /// Runs inputs.Length steps from <paramref name="initialState"/> (h_{-1}); returns y_t for every step.
    /// The final state h_{T-1} is <see cref="FinalState"/>.
    /// </summary>
    public double[][] Forward(double[][] inputs, double[] initialState)
    {
        int steps = inputs.Length, H = HiddenSize;
        _inputs = inputs;
        _initialState = (double[])initialState.Clone();
        _hidden = new double[steps][];
        var outputs = new double[steps][];

        var hPrev = _initialState;
        for (int t = 0; t < steps; t++)
        {
            var x = inputs[t];

            // a = W_ih x + b_ih + W_hh h_{t-1} + b_hh ; h_t = tanh(a)
            var h = new double[H];
            for (int r = 0; r < H; r++)
            {
                double a = b_ih[r] + b_hh[r];
                for (int c = 0; c < InputSize; c++)
                {
                    a += W_ih[r, c] * x[c];
                }

                for (int c = 0; c < H; c++)
                {
                    a += W_hh[r, c] * hPrev[c];
                }

                h[r] = Math.Tanh(a);
            }

            // y_t = W_out h_t + b_out
            var y = new double[OutputSize];
            for (int r = 0; r < OutputSize; r++)
            {
                double sum = b_out[r];
                for (int c = 0; c < H; c++)
                {
                    sum += W_out[r, c] * h[c];
                }

                y[r] = sum;
            }

            _hidden[t] = h;
            outputs[t] = y;
            hPrev = h;
        }

        return outputs;
    }

    /// <summary>h_{T-1}, the state after the last step of <see cref="Forward"/>.</summary>
    public double[] FinalState => _hidden[^1];

    /// <summary>
    /// Backpropagation through time over the steps of the last <see cref="Forward"/>.
    /// <paramref name="outputGradients"/>[t] is dL/dy_t; <paramref name="finalStateGradient"/> is dL/dh_{T-1}
    /// from beyond the window.
    /// </summary>
    public NaiveGradients Backward(double[][] outputGradients, double[] finalStateGradient)
    {
        int steps = _inputs.Length, H = HiddenSize;
        var result = new NaiveGradients(steps, H);
        var dW_ih = result.Add("W_ih", H, InputSize);
        var dW_hh = result.Add("W_hh", H, H);
        var db_ih = result.Add("b_ih", H, 1);
        var db_hh = result.Add("b_hh", H, 1);
        var dW_out = result.Add("W_out", OutputSize, H);
        var db_out = result.Add("b_out", OutputSize, 1);

        // dhNext: what reaches h_t from the steps after t (for t = T-1, from beyond the window).
        var dhNext = (double[])finalStateGradient.Clone();
        for (int t = steps - 1; t >= 0; t--)
        {
            var x = _inputs[t];
            var h = _hidden[t];
            var hPrev = t > 0 ? _hidden[t - 1] : _initialState;
            var dy = outputGradients[t];

            // y_t = W_out h_t + b_out:  dW_out += dy h_t^T ; db_out += dy ; dh = dhNext + W_out^T dy
            var dh = (double[])dhNext.Clone();
            for (int r = 0; r < OutputSize; r++)
            {
                db_out[r, 0] += dy[r];
                for (int c = 0; c < H; c++)
                {
                    dW_out[r, c] += dy[r] * h[c];
                    dh[c] += W_out[r, c] * dy[r];
                }
            }

            // dh is now the total adjoint dL/dh_t.
            result.StateAdjointNorms[steps - 1 - t] = Norm(dh);

            // h_t = tanh(a):  da = dh * (1 - h_t^2)
            var da = new double[H];
            for (int r = 0; r < H; r++)
            {
                da[r] = dh[r] * (1 - h[r] * h[r]);
            }

            // a = W_ih x + b_ih + W_hh h_{t-1} + b_hh:
            //   dW_ih += da x^T ; dW_hh += da h_{t-1}^T ; db_ih += da ; db_hh += da ; dh_{t-1} = W_hh^T da
            var dhPrev = new double[H];
            for (int r = 0; r < H; r++)
            {
                db_ih[r, 0] += da[r];
                db_hh[r, 0] += da[r];
                for (int c = 0; c < InputSize; c++)
                {
                    dW_ih[r, c] += da[r] * x[c];
                }

                for (int c = 0; c < H; c++)
                {
                    dW_hh[r, c] += da[r] * hPrev[c];
                    dhPrev[c] += W_hh[r, c] * da[r];
                }
            }

            dhNext = dhPrev;
        }

        // What reached h_{-1}.
        Array.Copy(dhNext, result.InitialStateGradient, H);
        return result;
    }

    /// <summary>The Euclidean norm.</summary>
    internal static double Norm(double[] v)
    {
        double sum = 0;
        for (int i = 0; i < v.Length; i++)
        {
            sum += v[i] * v[i];
        }

        return Math.Sqrt(sum);
    }
}
