using System;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// Every optimizer against a hand-computed update: three steps on one parameter (p = 1, gradients 0.5, -0.3,
/// 0.2), the expected values worked out from the formulas in docs/training.md (and checked against PyTorch's
/// update rules); then the vectorized loops against a scalar transcription of the same formulas on 19 parameters
/// (whole vectors and a remainder), in double and in float.
/// </summary>
public sealed class OptimizerTests
{
    /// <summary>Every optimizer and variant <see cref="Create{T}"/> makes.</summary>
    public static TheoryData<string> Names => new() { "sgd", "sgd-momentum", "sgd-nesterov", "adam", "adamw", "rmsprop", "rmsprop-momentum" };

    private static readonly double[] s_gradients = { 0.5, -0.3, 0.2 };

    public static TheoryData<string, double[]> HandComputed => new()
    {
        // p ← p - 0.1 g
        { "sgd", new[] { 0.95, 0.98, 0.96 } },
        // g ← g + 0.01 p; b ← 0.9 b + g; p ← p - 0.1 b:  b1 = 0.51, p1 = 0.949; b2 = 0.459 - 0.29051 = 0.16849, p2 = 0.932151; ...
        { "sgd-momentum", new[] { 0.949, 0.932151, 0.896054749 } },
        // as above, then p ← p - 0.1 (g + 0.9 b):  p1 = 1 - 0.1 (0.51 + 0.459) = 0.9031; ...
        { "sgd-nesterov", new[] { 0.9031, 0.91707411, 0.863721158191 } },
        // g1 = 0.51; m = 0.051, v = 0.0002601; m̂ = 0.51, √v̂ = 0.51; p1 = 1 - 0.1 · 0.51 / (0.51 + 1e-8); ...
        { "adam", new[] { 0.9000000019607843, 0.8787012438702138, 0.8417716298330955 } },
        // p ← 0.999 p first (η λ = 0.001), then Adam on the raw gradient: p1 = 0.999 - 0.1 · 0.5 / (0.5 + 1e-8); ...
        { "adamw", new[] { 0.899000002, 0.8789511989397751, 0.8433294795899422 } },
        // g1 = 0.51; v = 0.01 · 0.2601 = 0.002601, √v = 0.051; p1 = 1 - 0.01 · 0.51 / (0.051 + 1e-8); ...
        { "rmsprop", new[] { 0.9000000196078394, 0.9497468715974499, 0.9158796684821228 } },
        { "rmsprop-momentum", new[] { 0.9000000196078394, 0.8597468892445053, 0.7897807693394016 } },
    };

    [Theory]
    [MemberData(nameof(HandComputed))]
    public void Matches_the_hand_computed_update(string name, double[] expected)
    {
        var optimizer = Create<double>(name);
        var parameter = new[] { 1.0 };
        for (int t = 0; t < s_gradients.Length; t++)
        {
            Assert.True(optimizer.Step(parameter, new[] { s_gradients[t] }));
            Assert.Equal(expected[t], parameter[0], 1e-15);
        }

        Assert.Equal(3, optimizer.StepCount);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Vectorized_update_matches_the_scalar_formulas(string name)
    {
        const int Count = 19, Steps = 4;
        var random = new Random(name.Length);
        var reference = new ScalarReference(name, Count);
        var optimizer = Create<double>(name);
        var single = Create<float>(name);
        var parameters = new double[Count];
        var singleParameters = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            parameters[i] = reference.Parameters[i] = 2 * random.NextDouble() - 1;
            singleParameters[i] = (float)parameters[i];
        }

        for (int t = 1; t <= Steps; t++)
        {
            var gradients = new double[Count];
            var singleGradients = new float[Count];
            for (int i = 0; i < Count; i++)
            {
                gradients[i] = 2 * random.NextDouble() - 1;
                singleGradients[i] = (float)gradients[i];
            }

            reference.Step(gradients, t);
            optimizer.Step(parameters, gradients);
            single.Step(singleParameters, singleGradients);
            for (int i = 0; i < Count; i++)
            {
                Assert.Equal(reference.Parameters[i], parameters[i], 1e-14);
                Assert.Equal(reference.Parameters[i], singleParameters[i], 2e-5);
            }
        }
    }

    [Fact]
    public void Reset_state_starts_again_from_zero_moments()
    {
        var optimizer = new Adam<double>(0.1);
        var first = new[] { 1.0 };
        optimizer.Step(first, new[] { 0.5 });
        optimizer.Step(first, new[] { -0.3 });
        optimizer.ResetState();
        Assert.Equal(0, optimizer.StepCount);
        var again = new[] { 1.0 };
        optimizer.Step(again, new[] { 0.5 });
        Assert.Equal(1 - 0.1 * 0.5 / (0.5 + 1e-8), again[0], 1e-15);
    }

    [Fact]
    public void Wrong_lengths_and_hyperparameters_are_rejected()
    {
        var optimizer = new Sgd<double>(0.1);
        optimizer.Prepare(3);
        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(new double[4], new double[4]));
        Assert.Contains("3", error.Message);
        Assert.Throws<ArgumentException>(() => optimizer.Step(new double[3], new double[2]));
        Assert.Throws<InvalidOperationException>(() => optimizer.Prepare(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, momentum: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW<double>(epsilon: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<double>(alpha: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = double.PositiveInfinity);
    }

    [Fact]
    public void A_step_that_overflows_a_parameter_says_so()
    {
        var optimizer = new Sgd<double>(1e300);
        var parameters = new double[9];
        var gradients = new double[9];
        gradients[7] = -1e10;
        Assert.False(optimizer.Step(parameters, gradients));
        Assert.True(new Sgd<double>(1).Step(new double[9], new double[9]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_clone_without_state_updates_as_a_fresh_optimizer_with_the_same_settings(string name)
    {
        var used = Create<double>(name);
        used.LearningRate = 0.05;
        var usedParameters = new[] { 1.0, -2.0, 0.5 };
        used.Step(usedParameters, new[] { 0.5, -0.3, 0.2 });
        used.Step(usedParameters, new[] { 0.1, 0.4, -0.7 });

        var clone = used.CloneWithoutState();
        var fresh = Create<double>(name);
        fresh.LearningRate = 0.05;

        Assert.IsType(used.GetType(), clone);
        Assert.Equal(0, clone.StepCount);
        Assert.Equal(0, clone.ParameterCount);
        var cloneParameters = new[] { 0.3, -0.1, 0.8, 1.5, -0.6 };
        var freshParameters = (double[])cloneParameters.Clone();
        var random = new Random(2);
        for (int t = 0; t < 3; t++)
        {
            var gradients = new double[cloneParameters.Length];
            for (int i = 0; i < gradients.Length; i++)
            {
                gradients[i] = 2 * random.NextDouble() - 1;
            }

            clone.Step(cloneParameters, gradients);
            fresh.Step(freshParameters, gradients);
        }

        Assert.Equal(freshParameters, cloneParameters);
        Assert.Equal(2, used.StepCount); // the original is untouched
    }

    internal static Optimizer<T> Create<T>(string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => name switch
    {
        "sgd" => new Sgd<T>(0.1),
        "sgd-momentum" => new Sgd<T>(0.1, momentum: 0.9, weightDecay: 0.01),
        "sgd-nesterov" => new Sgd<T>(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam<T>(0.1, weightDecay: 0.01),
        "adamw" => new AdamW<T>(0.1, weightDecay: 0.01),
        "rmsprop" => new RmsProp<T>(0.01, weightDecay: 0.01),
        "rmsprop-momentum" => new RmsProp<T>(0.01, weightDecay: 0.01, momentum: 0.9),
        _ => throw new ArgumentException(name),
    };

    /// <summary>The formulas of docs/training.md, one parameter at a time, with the hyperparameters of <see cref="Create{T}"/>.</summary>
    private sealed class ScalarReference
    {
        private readonly string _name;
        private readonly double[] _a, _b;

        public ScalarReference(string name, int count)
        {
            _name = name;
            Parameters = new double[count];
            _a = new double[count];
            _b = new double[count];
        }

        public double[] Parameters { get; }

        public void Step(double[] gradients, int t)
        {
            for (int i = 0; i < Parameters.Length; i++)
            {
                double p = Parameters[i], g = gradients[i];
                switch (_name)
                {
                    case "sgd":
                        p -= 0.1 * g;
                        break;
                    case "sgd-momentum":
                    case "sgd-nesterov":
                        g += 0.01 * p;
                        _a[i] = 0.9 * _a[i] + g;
                        p -= 0.1 * (_name == "sgd-nesterov" ? g + 0.9 * _a[i] : _a[i]);
                        break;
                    case "adam":
                    case "adamw":
                        if (_name == "adam")
                        {
                            g += 0.01 * p;
                        }
                        else
                        {
                            p *= 1 - 0.1 * 0.01;
                        }

                        _a[i] = 0.9 * _a[i] + 0.1 * g;
                        _b[i] = 0.999 * _b[i] + 0.001 * g * g;
                        p -= 0.1 / (1 - Math.Pow(0.9, t)) * _a[i] / (Math.Sqrt(_b[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8);
                        break;
                    default: // rmsprop, rmsprop-momentum
                        g += 0.01 * p;
                        _a[i] = 0.99 * _a[i] + 0.01 * g * g;
                        double step = g / (Math.Sqrt(_a[i]) + 1e-8);
                        if (_name == "rmsprop-momentum")
                        {
                            _b[i] = 0.9 * _b[i] + step;
                            step = _b[i];
                        }

                        p -= 0.01 * step;
                        break;
                }

                Parameters[i] = p;
            }
        }
    }
}
