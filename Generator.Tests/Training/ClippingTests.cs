using System;
using System.Numerics.Tensors;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Training;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// Clipping by global norm yields the requested norm (to a few units in the last place: scaling by
/// maxNorm / norm rounds once per element and the norm once more), clipping by value clamps exactly, and the
/// trainer reports the norm before clipping and whether it clipped.
/// </summary>
public sealed class ClippingTests
{
    private readonly ITestOutputHelper _output;

    public ClippingTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Clipping_by_norm_yields_the_requested_norm()
    {
        var random = new Random(3);
        foreach (double maxNorm in new[] { 1.0, 0.37, 1e-3 })
        {
            var gradients = new double[37];
            for (int i = 0; i < gradients.Length; i++)
            {
                gradients[i] = 10 * (2 * random.NextDouble() - 1);
            }

            double norm = GradientClipping.GlobalNorm<double>(gradients);
            Assert.True(GradientClipping.ClipByNorm<double>(gradients, norm, maxNorm));
            double clipped = TensorPrimitives.Norm<double>(gradients);
            _output.WriteLine($"norm {norm:R} clipped to {clipped:R}, asked {maxNorm:R}: {Math.Abs(clipped - maxNorm) / maxNorm:E1} relative");
            Assert.Equal(maxNorm, clipped, 4 * Math.BitIncrement(maxNorm) - 4 * maxNorm);
        }

        var small = new[] { 0.1, -0.2 };
        Assert.False(GradientClipping.ClipByNorm<double>(small, GradientClipping.GlobalNorm<double>(small), 1.0));
        Assert.Equal(new[] { 0.1, -0.2 }, small);
    }

    [Fact]
    public void Clipping_by_value_clamps_each_element()
    {
        var gradients = new[] { 0.5, -3.0, 2.0, -0.25, 1.0, 7.0, -1.0, 0.0, 1.5 };
        Assert.True(GradientClipping.ClipByValue<double>(gradients, 1.0));
        Assert.Equal(new[] { 0.5, -1.0, 1.0, -0.25, 1.0, 1.0, -1.0, 0.0, 1.0 }, gradients);
        Assert.False(GradientClipping.ClipByValue<double>(gradients, 1.0));

        // The largest magnitude negative.
        var negative = new[] { 0.5, -3.0, 2.0 };
        Assert.True(GradientClipping.ClipByValue<double>(negative, 2.5));
        Assert.Equal(new[] { 0.5, -2.5, 2.0 }, negative);
    }

    [Fact]
    public void Global_norm_survives_float_overflow_of_the_sum_of_squares()
    {
        Assert.Equal(5e30f, GradientClipping.GlobalNorm<float>(new[] { 3e30f, 4e30f }), 5e30f * 1e-6f);
        Assert.Equal(5e30f, GradientClipping.GlobalNorm<float>(new[] { 3e30f, -4e30f }), 5e30f * 1e-6f);
        Assert.True(float.IsNaN(GradientClipping.GlobalNorm<float>(new[] { 1f, float.NaN })));
        Assert.Equal(float.PositiveInfinity, GradientClipping.GlobalNorm<float>(new[] { 1f, float.NegativeInfinity }));
    }

    [Fact]
    public void The_trainer_clips_the_applied_gradient_and_reports_the_norm_before()
    {
        var random = new Random(5);
        var reference = new TrainingElman();
        TbpttExactnessTests.Randomize(reference, random);
        var inputs = TbpttExactnessTests.RandomRows(random, 6, TrainingElman.In);
        var targets = TbpttExactnessTests.RandomRows(random, 6, TrainingElman.Out);

        // The unclipped gradient, to know its norm.
        var plain = Train(reference, inputs, targets, new TbpttOptions());
        double norm = TensorPrimitives.Norm<double>(plain.Cell.Gradients);
        Assert.False(plain.LastReport.Clipped);

        double maxNorm = norm / 3;
        var byNorm = Train(reference, inputs, targets, new TbpttOptions { MaxGradientNorm = maxNorm });
        var report = byNorm.LastReport;
        _output.WriteLine($"{report}; clipped norm {TensorPrimitives.Norm<double>(byNorm.Cell.Gradients):R}, asked {maxNorm:R}");
        Assert.True(report.Clipped);
        Assert.Equal(norm, report.GradientNorm, norm * 1e-15);
        Assert.Equal(maxNorm, TensorPrimitives.Norm<double>(byNorm.Cell.Gradients), maxNorm * 1e-15);

        // SGD with learning rate 1 moved the parameters by exactly the clipped gradient.
        for (int i = 0; i < TrainingElman.ParameterCount; i++)
        {
            Assert.Equal(reference.Parameters[i] - byNorm.Cell.Gradients[i], byNorm.Cell.Parameters[i], 1e-15);
        }

        double maxValue = Math.Abs(TensorPrimitives.MaxMagnitude<double>(plain.Cell.Gradients)) / 2;
        var byValue = Train(reference, inputs, targets, new TbpttOptions { MaxGradientValue = maxValue });
        Assert.True(byValue.LastReport.Clipped);
        for (int i = 0; i < TrainingElman.ParameterCount; i++)
        {
            Assert.Equal(Math.Clamp(plain.Cell.Gradients[i], -maxValue, maxValue), byValue.Cell.Gradients[i]);
        }

        var notNeeded = Train(reference, inputs, targets, new TbpttOptions { MaxGradientNorm = 2 * norm });
        Assert.False(notNeeded.LastReport.Clipped);
        Assert.Equal(plain.Cell.Gradients.ToArray(), notNeeded.Cell.Gradients.ToArray());
    }

    private static TbpttTrainer<TrainingElman, double> Train(TrainingElman reference, double[][] inputs, double[][] targets, TbpttOptions options)
    {
        var cell = new TrainingElman();
        reference.Parameters.CopyTo(cell.Parameters);
        var trainer = new TbpttTrainer<TrainingElman, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(1), 6, options);
        for (int t = 0; t < 6; t++)
        {
            trainer.Step(inputs[t], targets[t]);
        }

        Assert.Equal(1, trainer.UpdateCount);
        return trainer;
    }
}
