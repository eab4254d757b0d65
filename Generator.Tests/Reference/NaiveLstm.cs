using System;

namespace UnrolledRnn.Tests.Reference;

/// <summary>
/// A deliberately naive LSTM (the PyTorch formulation: gates i, f, g, o stacked in that order) with a linear
/// read-out, in double precision, written from the textbook and independent of the generator and of every
/// kernel in the runtime: plain arrays and nested for-loops.
/// <code>
/// a   = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh          (4H pre-activations)
/// i   = sigmoid(a[0, H))     f = sigmoid(a[H, 2H))
/// g   = tanh(a[2H, 3H))      o = sigmoid(a[3H, 4H))
/// c_t = f * c_{t-1} + i * g
/// h_t = o * tanh(c_t)
/// y_t = W_out h_t + b_out
/// </code>
/// The state is (h, c), concatenated in that order, as the generated cell lays it out.
/// </summary>
public sealed class NaiveLstm : INaiveNetwork
{
    public NaiveLstm(int inputSize, int hiddenSize, int outputSize)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        OutputSize = outputSize;
        W_ih = new double[4 * hiddenSize, inputSize];
        W_hh = new double[4 * hiddenSize, hiddenSize];
        b_ih = new double[4 * hiddenSize];
        b_hh = new double[4 * hiddenSize];
        W_out = new double[outputSize, hiddenSize];
        b_out = new double[outputSize];
    }

    public int InputSize { get; }

    public int HiddenSize { get; }

    public int OutputSize { get; }

    /// <summary>2H: h then c.</summary>
    public int StateSize => 2 * HiddenSize;

    // The parameters, named as in the cell. Matrices are [row, column].
    public double[,] W_ih { get; }

    public double[,] W_hh { get; }

    public double[] b_ih { get; }

    public double[] b_hh { get; }

    public double[,] W_out { get; }

    public double[] b_out { get; }

    /// <summary>Everything one step computed, kept for the backward pass.</summary>
    private sealed class StepRecord
    {
        public double[] X = Array.Empty<double>();
        public double[] HPrev = Array.Empty<double>(), CPrev = Array.Empty<double>();
        public double[] I = Array.Empty<double>(), F = Array.Empty<double>(), G = Array.Empty<double>(), O = Array.Empty<double>();
        public double[] C = Array.Empty<double>(), TanhC = Array.Empty<double>(), H = Array.Empty<double>();
    }

    private StepRecord[] _steps = Array.Empty<StepRecord>();

    /// <summary>
    /// Runs inputs.Length steps from <paramref name="initialState"/> = (h_{-1}, c_{-1}); returns y_t for every step.
    /// </summary>
    public double[][] Forward(double[][] inputs, double[] initialState)
    {
        int steps = inputs.Length, H = HiddenSize;
        _steps = new StepRecord[steps];
        var outputs = new double[steps][];

        var hPrev = new double[H];
        var cPrev = new double[H];
        Array.Copy(initialState, 0, hPrev, 0, H);
        Array.Copy(initialState, H, cPrev, 0, H);
        for (int t = 0; t < steps; t++)
        {
            var x = inputs[t];

            // a = W_ih x + b_ih + W_hh h_{t-1} + b_hh
            var a = new double[4 * H];
            for (int r = 0; r < 4 * H; r++)
            {
                double sum = b_ih[r] + b_hh[r];
                for (int col = 0; col < InputSize; col++)
                {
                    sum += W_ih[r, col] * x[col];
                }

                for (int col = 0; col < H; col++)
                {
                    sum += W_hh[r, col] * hPrev[col];
                }

                a[r] = sum;
            }

            // The gates, then the cell and hidden states, element by element.
            var s = new StepRecord
            {
                X = x, HPrev = hPrev, CPrev = cPrev,
                I = new double[H], F = new double[H], G = new double[H], O = new double[H],
                C = new double[H], TanhC = new double[H], H = new double[H],
            };
            for (int j = 0; j < H; j++)
            {
                s.I[j] = Sigmoid(a[j]);
                s.F[j] = Sigmoid(a[H + j]);
                s.G[j] = Math.Tanh(a[2 * H + j]);
                s.O[j] = Sigmoid(a[3 * H + j]);
                s.C[j] = s.F[j] * cPrev[j] + s.I[j] * s.G[j];
                s.TanhC[j] = Math.Tanh(s.C[j]);
                s.H[j] = s.O[j] * s.TanhC[j];
            }

            // y_t = W_out h_t + b_out
            var y = new double[OutputSize];
            for (int r = 0; r < OutputSize; r++)
            {
                double sum = b_out[r];
                for (int col = 0; col < H; col++)
                {
                    sum += W_out[r, col] * s.H[col];
                }

                y[r] = sum;
            }

            _steps[t] = s;
            outputs[t] = y;
            hPrev = s.H;
            cPrev = s.C;
        }

        return outputs;
    }

    /// <summary>(h_{T-1}, c_{T-1}), the state after the last step of <see cref="Forward"/>.</summary>
    public double[] FinalState
    {
        get
        {
            var last = _steps[^1];
            var state = new double[StateSize];
            Array.Copy(last.H, 0, state, 0, HiddenSize);
            Array.Copy(last.C, 0, state, HiddenSize, HiddenSize);
            return state;
        }
    }

    /// <summary>
    /// Backpropagation through time over the steps of the last <see cref="Forward"/>.
    /// <paramref name="outputGradients"/>[t] is dL/dy_t; <paramref name="finalStateGradient"/> is
    /// dL/d(h_{T-1}, c_{T-1}) from beyond the window.
    /// </summary>
    public NaiveGradients Backward(double[][] outputGradients, double[] finalStateGradient)
    {
        int steps = _steps.Length, H = HiddenSize;
        var result = new NaiveGradients(steps, StateSize);
        var dW_ih = result.Add("W_ih", 4 * H, InputSize);
        var dW_hh = result.Add("W_hh", 4 * H, H);
        var db_ih = result.Add("b_ih", 4 * H, 1);
        var db_hh = result.Add("b_hh", 4 * H, 1);
        var dW_out = result.Add("W_out", OutputSize, H);
        var db_out = result.Add("b_out", OutputSize, 1);

        // What reaches h_t and c_t from the steps after t (for t = T-1, from beyond the window).
        var dhNext = new double[H];
        var dcNext = new double[H];
        Array.Copy(finalStateGradient, 0, dhNext, 0, H);
        Array.Copy(finalStateGradient, H, dcNext, 0, H);
        for (int t = steps - 1; t >= 0; t--)
        {
            var s = _steps[t];
            var dy = outputGradients[t];

            // y_t = W_out h_t + b_out:  dW_out += dy h_t^T ; db_out += dy ; dh = dhNext + W_out^T dy
            var dh = (double[])dhNext.Clone();
            for (int r = 0; r < OutputSize; r++)
            {
                db_out[r, 0] += dy[r];
                for (int col = 0; col < H; col++)
                {
                    dW_out[r, col] += dy[r] * s.H[col];
                    dh[col] += W_out[r, col] * dy[r];
                }
            }

            // h_t = o * tanh(c_t):  do = dh * tanh(c_t) ; dc = dcNext + dh * o * (1 - tanh(c_t)^2)
            var dO = new double[H];
            var dc = new double[H];
            for (int j = 0; j < H; j++)
            {
                dO[j] = dh[j] * s.TanhC[j];
                dc[j] = dcNext[j] + dh[j] * s.O[j] * (1 - s.TanhC[j] * s.TanhC[j]);
            }

            // dh and dc are now the total adjoints of the state (h_t, c_t).
            double squares = 0;
            for (int j = 0; j < H; j++)
            {
                squares += dh[j] * dh[j] + dc[j] * dc[j];
            }

            result.StateAdjointNorms[steps - 1 - t] = Math.Sqrt(squares);

            // c_t = f * c_{t-1} + i * g:  df = dc * c_{t-1} ; di = dc * g ; dg = dc * i ; dc_{t-1} = dc * f
            // then through the activations to the pre-activations a (sigmoid' = s(1-s), tanh' = 1-g^2).
            var da = new double[4 * H];
            var dcPrev = new double[H];
            for (int j = 0; j < H; j++)
            {
                double di = dc[j] * s.G[j];
                double df = dc[j] * s.CPrev[j];
                double dg = dc[j] * s.I[j];
                dcPrev[j] = dc[j] * s.F[j];
                da[j] = di * s.I[j] * (1 - s.I[j]);
                da[H + j] = df * s.F[j] * (1 - s.F[j]);
                da[2 * H + j] = dg * (1 - s.G[j] * s.G[j]);
                da[3 * H + j] = dO[j] * s.O[j] * (1 - s.O[j]);
            }

            // a = W_ih x + b_ih + W_hh h_{t-1} + b_hh:
            //   dW_ih += da x^T ; dW_hh += da h_{t-1}^T ; db_ih += da ; db_hh += da ; dh_{t-1} = W_hh^T da
            var dhPrev = new double[H];
            for (int r = 0; r < 4 * H; r++)
            {
                db_ih[r, 0] += da[r];
                db_hh[r, 0] += da[r];
                for (int col = 0; col < InputSize; col++)
                {
                    dW_ih[r, col] += da[r] * s.X[col];
                }

                for (int col = 0; col < H; col++)
                {
                    dW_hh[r, col] += da[r] * s.HPrev[col];
                    dhPrev[col] += W_hh[r, col] * da[r];
                }
            }

            dhNext = dhPrev;
            dcNext = dcPrev;
        }

        // What reached (h_{-1}, c_{-1}).
        Array.Copy(dhNext, 0, result.InitialStateGradient, 0, H);
        Array.Copy(dcNext, 0, result.InitialStateGradient, H, H);
        return result;
    }

    /// <summary>The logistic function, 1 / (1 + e^-x).</summary>
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
