using System;
using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// A finite input so large that the cell overflows leaves a non-finite state: the trainer puts back the state from
/// before that step (its ring snapshot), counts it, reports it with the next update and goes on, to the same bits
/// whether driven step by step or in runs. A state already non-finite before a step (written by the caller) is an
/// error instead. The cell is a linear RNN (In 1, H 3, k2 = 4), whose state nothing bounds, with W_ih = 2: an input
/// of 1e308 overflows it to infinity.
/// </summary>
public sealed class StateOverflowTests
{
    private const int Steps = 40, HugeStep = 13, K2 = 4;

    [Fact]
    public void An_overflowed_state_is_restored_reported_and_training_goes_on()
    {
        var trainer = CreateTrainer(k1: K2);
        var monitor = new ReportRecorder<double>();
        trainer.Monitor = monitor;
        var (inputs, targets) = Stream();
        var output = new double[1];
        for (int t = 0; t < Steps; t++)
        {
            var before = trainer.Cell.State.ToArray();
            trainer.Step(inputs.AsSpan(t, 1), targets.AsSpan(t, 1), output);
            if (t == HugeStep)
            {
                Assert.True(CheckpointAssert.BitIdentical<double>(before, trainer.Cell.State), "The state before the step was not put back.");
                Assert.False(double.IsFinite(output[0])); // the output is as the cell computed it
            }

            Assert.All(trainer.Cell.State.ToArray(), value => Assert.True(double.IsFinite(value)));
        }

        Assert.Equal(1, trainer.StateRestoreCount);

        // One update every 4 steps. The one at step 16, whose window holds the huge input (the 14th step), reports
        // the restore, and is skipped: its window, recomputed from its start, overflows again. The others apply.
        Assert.Equal(Steps / K2, monitor.Reports.Count);
        foreach (var report in monitor.Reports)
        {
            bool holdsHugeStep = report.StepIndex == 16;
            Assert.Equal(holdsHugeStep ? 1 : 0, report.StateRestores);
            Assert.Equal(holdsHugeStep ? UpdateOutcome.SkippedNonFiniteLoss : UpdateOutcome.Applied, report.Outcome);
        }

        Assert.Contains("1 overflowed states restored", monitor.Reports.Single(report => report.StateRestores > 0).ToString());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Runs_restore_at_the_same_step_as_steps(int k1)
    {
        var (inputs, targets) = Stream();
        var stepped = CreateTrainer(k1);
        var steppedOutputs = new double[Steps];
        for (int t = 0; t < Steps; t++)
        {
            stepped.Step(inputs.AsSpan(t, 1), targets.AsSpan(t, 1), steppedOutputs.AsSpan(t, 1));
        }

        // With k1 >= k2 a run computes a window ahead in one Forward; the one holding the huge input overflows and
        // is taken again step by step.
        var run = CreateTrainer(k1);
        var runOutputs = new double[Steps];
        run.Run(inputs, targets, runOutputs);

        Assert.Equal(1, run.StateRestoreCount);
        Assert.Equal(stepped.UpdateCount, run.UpdateCount);
        Assert.True(CheckpointAssert.BitIdentical<double>(stepped.Cell.Parameters, run.Cell.Parameters), "The parameters differ.");
        Assert.True(CheckpointAssert.BitIdentical<double>(stepped.Cell.State, run.Cell.State), "The states differ.");
        Assert.True(CheckpointAssert.BitIdentical<double>(steppedOutputs, runOutputs), "The outputs differ.");
    }

    [Fact]
    public void A_state_written_non_finite_is_an_error_not_restored()
    {
        var trainer = CreateTrainer(k1: K2);
        var (inputs, targets) = Stream();
        trainer.Run(inputs.AsSpan(0, 6), targets.AsSpan(0, 6));
        trainer.Cell.State[1] = double.NaN;

        var error = Assert.Throws<InvalidOperationException>(() => trainer.Run(inputs.AsSpan(6, 4), targets.AsSpan(6, 4)));
        Assert.Contains("Cell.State[1] was already NaN before the trainer's step 7 since the last Reset", error.Message);
        Assert.Contains("Reset()", error.Message);
        Assert.Equal(6, trainer.StepsSinceReset);
        Assert.Equal(0, trainer.StateRestoreCount);

        trainer.Reset();
        trainer.Run(inputs.AsSpan(6, 4), targets.AsSpan(6, 4));
        Assert.Equal(UpdateOutcome.Applied, trainer.LastReport.Outcome);
    }

    private static TbpttTrainer<TrainingLinearRnn, double> CreateTrainer(int k1)
    {
        var cell = new TrainingLinearRnn();
        cell.InitializeParameters(seed: 1);
        cell.Parameter_W_ih.Fill(2.0);
        foreach (ref double weight in cell.Parameter_W_hh)
        {
            weight *= 0.5; // orthogonal, halved: the state stays small
        }

        return new TbpttTrainer<TrainingLinearRnn, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(1e-3), k1);
    }

    /// <summary>Inputs and targets uniform in [-1, 1], but the input of step <see cref="HugeStep"/> is 1e308.</summary>
    private static (double[] Inputs, double[] Targets) Stream()
    {
        var random = new Random(6);
        var inputs = new double[Steps];
        var targets = new double[Steps];
        for (int t = 0; t < Steps; t++)
        {
            inputs[t] = 2 * random.NextDouble() - 1;
            targets[t] = 2 * random.NextDouble() - 1;
        }

        inputs[HugeStep] = 1e308;
        return (inputs, targets);
    }
}
