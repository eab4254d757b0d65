namespace UnrolledRnn.Tests.Reference;

/// <summary>
/// What the naive Elman and LSTM share: the parameters of the docs' cells under their cell names (matrices
/// [row, column]), a forward pass over T steps and full backpropagation through time.
/// </summary>
public interface INaiveNetwork
{
    double[,] W_ih { get; }

    double[,] W_hh { get; }

    double[] b_ih { get; }

    double[] b_hh { get; }

    double[,] W_out { get; }

    double[] b_out { get; }

    /// <summary>The state after the last step of <see cref="Forward"/>.</summary>
    double[] FinalState { get; }

    /// <summary>Runs inputs.Length steps from <paramref name="initialState"/>; returns y_t for every step.</summary>
    double[][] Forward(double[][] inputs, double[] initialState);

    /// <summary>Full BPTT through the last <see cref="Forward"/>, given dL/dy_t and dL/d(final state).</summary>
    NaiveGradients Backward(double[][] outputGradients, double[] finalStateGradient);
}
