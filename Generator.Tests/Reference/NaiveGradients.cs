using System.Collections.Generic;

namespace UnrolledRnn.Tests.Reference;

/// <summary>What a naive backward pass returns: the gradient of every parameter, of the initial state, and the state-adjoint norms.</summary>
public sealed class NaiveGradients
{
    public NaiveGradients(int steps, int stateSize)
    {
        StateAdjointNorms = new double[steps];
        InitialStateGradient = new double[stateSize];
    }

    /// <summary>dL/dW for every parameter, by name; a vector is a one-column matrix.</summary>
    public Dictionary<string, double[,]> Parameters { get; } = new();

    /// <summary>dL/ds_{-1}: the gradient with respect to the state the window started from (states concatenated).</summary>
    public double[] InitialStateGradient { get; }

    /// <summary>Element k: the norm of the total adjoint dL/ds_{T-1-k} of the state produced k steps before the end.</summary>
    public double[] StateAdjointNorms { get; }

    /// <summary>Adds a zero gradient of the given shape and returns it, to accumulate into.</summary>
    public double[,] Add(string name, int rows, int columns)
    {
        var gradient = new double[rows, columns];
        Parameters.Add(name, gradient);
        return gradient;
    }
}
