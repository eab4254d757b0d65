using System;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// Each loss against hand-computed values and against central differences of itself (step 1e-6, agreement to
/// 1e-8: truncation error ~1e-12, round-off ~1e-10), with logits large enough to overflow a naive formula.
/// </summary>
public sealed class LossTests
{
    [Fact]
    public void Mean_squared_error_averages_over_the_output_elements()
    {
        var gradient = new double[2];
        double loss = new MeanSquaredError<double>().Evaluate(new[] { 1.0, -2.0 }, new[] { 0.5, 1.0 }, gradient);
        Assert.Equal((0.25 + 9) / 2, loss, 1e-15);
        Assert.Equal(new[] { 0.5, -3.0 }, gradient); // 2 (y - t) / n
        AssertGradientMatchesDifferences(new MeanSquaredError<double>(), new[] { 0.3, -1.2, 2.0 }, new[] { 0.1, 0.2, -0.4 });
    }

    [Fact]
    public void Softmax_cross_entropy_is_the_negative_log_likelihood_of_the_class()
    {
        var gradient = new double[3];
        double loss = new SoftmaxCrossEntropy<double>().Evaluate(new[] { 1.0, 2.0, 3.0 }, new[] { 2.0 }, gradient);
        double sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Log(sum) - 3, loss, 1e-15); // 0.40760596444...
        Assert.Equal(Math.Exp(1) / sum, gradient[0], 1e-15);
        Assert.Equal(Math.Exp(3) / sum - 1, gradient[2], 1e-15);
        AssertGradientMatchesDifferences(new SoftmaxCrossEntropy<double>(), new[] { 0.3, -1.2, 2.0, 0.7 }, new[] { 1.0 });

        // Logits of 1000 overflow e^y; the shifted form does not.
        loss = new SoftmaxCrossEntropy<double>().Evaluate(new[] { 1000.0, 0.0 }, new[] { 1.0 }, gradient.AsSpan(0, 2));
        Assert.Equal(1000, loss, 1e-12);
        Assert.Equal(new[] { 1.0, -1.0 }, gradient.AsSpan(0, 2).ToArray());
    }

    [Fact]
    public void Binary_cross_entropy_with_logits_averages_over_the_output_elements()
    {
        var logits = new[] { 0.0, 2.0, -3.0 };
        var targets = new[] { 1.0, 0.0, 0.5 };
        var gradient = new double[3];
        double loss = new BinaryCrossEntropyWithLogits<double>().Evaluate(logits, targets, gradient);
        double expected = 0;
        for (int i = 0; i < 3; i++)
        {
            double p = 1 / (1 + Math.Exp(-logits[i]));
            expected -= (targets[i] * Math.Log(p) + (1 - targets[i]) * Math.Log(1 - p)) / 3;
            Assert.Equal((p - targets[i]) / 3, gradient[i], 1e-15);
        }

        Assert.Equal(expected, loss, 1e-15);
        AssertGradientMatchesDifferences(new BinaryCrossEntropyWithLogits<double>(), new[] { 0.3, -1.2, 2.0 }, new[] { 0.0, 1.0, 0.25 });

        // Saturated logits: -log(1 - sigmoid(1000)) = 1000, without overflow or log(0).
        loss = new BinaryCrossEntropyWithLogits<double>().Evaluate(new[] { 1000.0, -1000.0 }, new[] { 0.0, 1.0 }, gradient.AsSpan(0, 2));
        Assert.Equal(1000, loss, 1e-12);
    }

    [Fact]
    public void Supplied_gradient_passes_the_callers_values_through()
    {
        var loss = new SuppliedGradient<double>();
        Assert.Equal(3, loss.TargetSize(2));
        var gradient = new double[2];
        Assert.Equal(7.5, loss.Evaluate(new[] { 1.0, 2.0 }, new[] { 0.25, -0.5, 7.5 }, gradient));
        Assert.Equal(new[] { 0.25, -0.5 }, gradient);
    }

    [Fact]
    public void Invalid_targets_are_rejected()
    {
        var crossEntropy = new SoftmaxCrossEntropy<double>();
        crossEntropy.ValidateTarget(new[] { 2.0 }, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => crossEntropy.ValidateTarget(new[] { 3.0 }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => crossEntropy.ValidateTarget(new[] { -1.0 }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => crossEntropy.ValidateTarget(new[] { 0.5 }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => crossEntropy.ValidateTarget(new[] { double.NaN }, 3));
        var binary = new BinaryCrossEntropyWithLogits<double>();
        binary.ValidateTarget(new[] { 0.0, 1.0, 0.5 }, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => binary.ValidateTarget(new[] { 0.0, 1.5 }, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => binary.ValidateTarget(new[] { double.NaN }, 1));
    }

    private static void AssertGradientMatchesDifferences(Loss<double> loss, double[] output, double[] target)
    {
        const double Step = 1e-6;
        var gradient = new double[output.Length];
        var scratch = new double[output.Length];
        loss.Evaluate(output, target, gradient);
        for (int i = 0; i < output.Length; i++)
        {
            double original = output[i];
            output[i] = original + Step;
            double plus = loss.Evaluate(output, target, scratch);
            output[i] = original - Step;
            double minus = loss.Evaluate(output, target, scratch);
            output[i] = original;
            Assert.Equal((plus - minus) / (2 * Step), gradient[i], 1e-8);
        }
    }
}
