using System;
using System.Collections.Generic;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>
/// Finite-difference gradient check of a generated cell in double precision. The loss of one window is
/// L = sum_t w_t . y_t + v . s_{k2-1}, with random weights w (the output gradients) and v (the final state
/// gradient), so every output, the final state and, through them, every parameter and the initial state
/// are exercised. Each analytic derivative is compared with the central difference (L(p + e) - L(p - e)) / 2e.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// The step e of the central difference: truncation error e^2/6 f''' ~ 1e-11, round-off ~ 1e-15 |L| / e ~ 1e-10.
    /// </summary>
    public const double Step = 1e-5;

    /// <summary>Fills the cell with random parameters, state and inputs, and checks every gradient.</summary>
    public static GradientCheckResult Run(IUnrolledCell<double> cell, int seed = 1, double parameterScale = 0.5)
    {
        var random = new Random(seed);
        Fill(cell.Parameters, random, parameterScale);
        Fill(cell.State, random, 0.5);
        var initialState = cell.State.ToArray();
        var inputs = RandomArray(random, cell.TruncationLength * cell.InputSize, 1.0);
        var outputWeights = RandomArray(random, cell.TruncationLength * cell.OutputSize, 1.0);
        var finalStateWeights = RandomArray(random, cell.StateSize, 1.0);

        // Analytic: one Forward and one Backward.
        var outputs = new double[cell.TruncationLength * cell.OutputSize];
        var initialStateGradient = new double[cell.StateSize];
        var norms = new double[cell.TruncationLength];
        cell.ZeroGradients();
        cell.Forward(inputs, outputs);
        cell.Backward(outputWeights, finalStateWeights, initialStateGradient, norms);
        var parameterGradient = cell.Gradients.ToArray();

        double Loss()
        {
            initialState.CopyTo(cell.State);
            cell.Forward(inputs, outputs);
            double loss = 0;
            for (int i = 0; i < outputs.Length; i++)
            {
                loss += outputWeights[i] * outputs[i];
            }

            var finalState = cell.State;
            for (int i = 0; i < finalState.Length; i++)
            {
                loss += finalStateWeights[i] * finalState[i];
            }

            return loss;
        }

        var result = new GradientCheckResult(norms);
        for (int i = 0; i < parameterGradient.Length; i++)
        {
            double numeric = CentralDifference(i, isState: false);
            result.Add("parameter " + NameOf(cell, i), parameterGradient[i], numeric);
        }

        for (int i = 0; i < initialState.Length; i++)
        {
            double numeric = CentralDifference(i, isState: true);
            result.Add($"initial state [{i}]", initialStateGradient[i], numeric);
        }

        return result;

        double CentralDifference(int index, bool isState)
        {
            double original = isState ? initialState[index] : cell.Parameters[index];
            Set(original + Step);
            double plus = Loss();
            Set(original - Step);
            double minus = Loss();
            Set(original);
            return (plus - minus) / (2 * Step);

            void Set(double value)
            {
                if (isState)
                {
                    initialState[index] = value;
                }
                else
                {
                    cell.Parameters[index] = value;
                }
            }
        }
    }

    private static string NameOf(IUnrolledCell<double> cell, int index)
    {
        foreach (var tensor in cell.ParameterTensors)
        {
            if (index >= tensor.Offset && index < tensor.Offset + tensor.Length)
            {
                int local = index - tensor.Offset;
                return tensor.Columns == 1 ? $"{tensor.Name}[{local}]" : $"{tensor.Name}[{local / tensor.Columns}, {local % tensor.Columns}]";
            }
        }

        return $"[{index}]";
    }

    private static void Fill(Span<double> values, Random random, double scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = scale * (2 * random.NextDouble() - 1);
        }
    }

    private static double[] RandomArray(Random random, int length, double scale)
    {
        var values = new double[length];
        Fill(values, random, scale);
        return values;
    }
}

/// <summary>Every compared derivative, and the worst relative error among them.</summary>
public sealed class GradientCheckResult
{
    private readonly List<(string Name, double Analytic, double Numeric)> _entries = new();

    public GradientCheckResult(double[] stateAdjointNorms) => StateAdjointNorms = stateAdjointNorms;

    public double[] StateAdjointNorms { get; }

    public int Count => _entries.Count;

    public double MaxRelativeError { get; private set; }

    public string Worst { get; private set; } = "";

    /// <summary>
    /// |a - n| / max(|a| + |n|, 1e-3): relative for sizeable derivatives; near zero, where the difference
    /// quotient's round-off dominates, an absolute error scaled by 1e3.
    /// </summary>
    public static double RelativeError(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), 1e-3);

    public void Add(string name, double analytic, double numeric)
    {
        _entries.Add((name, analytic, numeric));
        double error = RelativeError(analytic, numeric);
        if (error > MaxRelativeError || double.IsNaN(error))
        {
            MaxRelativeError = double.IsNaN(error) ? double.PositiveInfinity : error;
            Worst = $"{name}: analytic {analytic:R}, numeric {numeric:R}";
        }
    }

    public override string ToString() => $"{Count} derivatives, max relative error {MaxRelativeError:E2} ({Worst})";
}
