using System;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// Wrong lengths name the expected length; k1 and k2 out of range throw <see cref="ArgumentOutOfRangeException"/>;
/// a NaN or infinite input or target throws naming the step and the element, changing nothing, or is skipped when
/// asked to; a NaN or infinite loss or gradient (from finite data) leaves parameters and optimizer state untouched
/// and says so in the report, or throws when asked to; an optimizer step that overflows a parameter throws instead
/// of going on silently.
/// </summary>
public sealed class BadInputTests
{
    [Fact]
    public void Wrong_span_lengths_name_the_expected_length()
    {
        var trainer = CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1));
        AssertNamesLength(() => trainer.Step(new double[2], new double[2]), "input", "3");
        AssertNamesLength(() => trainer.Step(new double[3], new double[3]), "target", "2");
        AssertNamesLength(() => trainer.Step(new double[3], new double[2], new double[1]), "output", "2");
        AssertNamesLength(() => trainer.Run(new double[7], Array.Empty<double>()), "inputs", "multiple of InputSize");
        AssertNamesLength(() => trainer.Run(new double[6], new double[3]), "targets", "4");
        AssertNamesLength(() => trainer.Run(new double[6], new double[4], new double[2]), "outputs", "4");
        Assert.Equal(0, trainer.StepsSinceReset);

        var crossEntropy = CreateTrainer(new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1));
        AssertNamesLength(() => crossEntropy.Step(new double[3], new double[2]), "target", "1");
        Assert.Throws<ArgumentOutOfRangeException>(() => crossEntropy.Step(new double[3], new[] { 2.0 }));

        // A bad target anywhere in a run is caught before any step is taken.
        Assert.Throws<ArgumentOutOfRangeException>(() => crossEntropy.Run(new double[9], new[] { 0.0, 1.0, 5.0 }));
        Assert.Equal(0, crossEntropy.StepsSinceReset);
    }

    [Fact]
    public void K1_and_k2_out_of_range_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), k1: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), k1: -3));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), options: new TbpttOptions { TruncationLength = 5 }));
        Assert.Contains("6", error.Message);
        CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), options: new TbpttOptions { TruncationLength = 6 });
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), options: new TbpttOptions { MaxGradientNorm = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), options: new TbpttOptions { MaxGradientValue = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArtbpSchedule.Constant(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArtbpSchedule.FromHazards(new[] { 0.5, -0.1 }));
    }

    [Fact]
    public void Non_finite_inputs_and_targets_throw_naming_the_step_and_the_element_and_change_nothing()
    {
        var trainer = CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), k1: 2);
        var random = new Random(4);
        RunSteps(trainer, random, 7, hugeTargetAt: -1);
        var parameters = trainer.Cell.Parameters.ToArray();
        var state = trainer.Cell.State.ToArray();
        long updates = trainer.UpdateCount;

        var error = Assert.Throws<ArgumentException>(() => trainer.Step(new[] { 0.1, double.PositiveInfinity, 0.3 }, new[] { 0.5, 0.5 }));
        Assert.Equal("input", error.ParamName);
        Assert.Contains($"input[1] is {double.PositiveInfinity}: element 1 of the input of the step (step 8 since the last Reset, 8 since the trainer was created)", error.Message);
        Assert.Contains("SkipNonFiniteSteps", error.Message);

        error = Assert.Throws<ArgumentException>(() => trainer.Step(new[] { 0.1, 0.2, 0.3 }, new[] { 0.5, double.NaN }));
        Assert.Equal("target", error.ParamName);
        Assert.Contains("target[1] is NaN", error.Message);

        // In a run: step 2's target, element 0; steps 0 and 1 are taken (one update, at the second).
        var inputs = new double[4 * 3];
        var targets = new double[4 * 2];
        targets[2 * 2] = double.NegativeInfinity;
        var run = CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), k1: 2);
        RunSteps(run, new Random(4), 7, hugeTargetAt: -1);
        error = Assert.Throws<ArgumentException>(() => run.Run(inputs, targets));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains($"targets[4] is {double.NegativeInfinity}: element 0 of the target of step 2 of the run (step 10 since the last Reset, 10 since the trainer was created)", error.Message);
        Assert.Contains("Steps 0 to 1 of the run were taken", error.Message);
        Assert.Equal(9, run.StepsSinceReset);
        Assert.Equal(updates + 1, run.UpdateCount);

        // At the run's first step nothing is taken.
        inputs[0] = double.NaN;
        error = Assert.Throws<ArgumentException>(() => trainer.Run(inputs, Array.Empty<double>()));
        Assert.Contains("inputs[0] is NaN", error.Message);
        Assert.Contains("No step of the run was taken", error.Message);

        Assert.Equal(7, trainer.StepsSinceReset);
        Assert.Equal(updates, trainer.UpdateCount);
        Assert.Equal(parameters, trainer.Cell.Parameters.ToArray());
        Assert.Equal(state, trainer.Cell.State.ToArray());
        Assert.Equal(0, trainer.SkippedStepCount);

        // A NaN class index is a non-finite target, not a class out of range.
        var crossEntropy = CreateTrainer(new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1));
        error = Assert.Throws<ArgumentException>(() => crossEntropy.Run(new double[6], new[] { 0.0, double.NaN }));
        Assert.IsNotType<ArgumentOutOfRangeException>(error);
        Assert.Contains("targets[1] is NaN", error.Message);
    }

    [Fact]
    public void Skip_non_finite_steps_skips_the_step_counts_it_and_writes_nan_to_its_output()
    {
        var trainer = CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(0.1), k1: 2, new TbpttOptions { SkipNonFiniteSteps = true });
        RunSteps(trainer, new Random(5), 7, hugeTargetAt: -1);
        var parameters = trainer.Cell.Parameters.ToArray();
        var state = trainer.Cell.State.ToArray();
        var output = new double[2];

        Assert.False(trainer.Step(new[] { 0.1, 0.2, 0.3 }, new[] { double.NaN, 0.5 }, output));
        Assert.All(output, value => Assert.True(double.IsNaN(value)));
        Assert.Equal(7, trainer.StepsSinceReset);
        Assert.Equal(1, trainer.SkippedStepCount);
        Assert.Equal(parameters, trainer.Cell.Parameters.ToArray());
        Assert.Equal(state, trainer.Cell.State.ToArray());

        // The next step is step 8, and the update it makes reports the skipped step.
        Assert.True(trainer.Step(new[] { 0.1, 0.2, 0.3 }, new[] { 0.5, 0.5 }, output));
        Assert.Equal(1, trainer.LastReport.SkippedSteps);
        Assert.Equal(8, trainer.LastReport.StepIndex);
        Assert.Equal(UpdateOutcome.Applied, trainer.LastReport.Outcome);
    }

    [Theory]
    [InlineData(4)] // k1 < k2: every step streamed
    [InlineData(6)] // k1 = k2: windows computed ahead, between the skipped steps
    public void Runs_skip_the_same_steps_as_steps(int k1)
    {
        const int Steps = 60;
        var random = new Random(7);
        var inputs = new double[Steps * 3];
        var targets = new double[Steps * 2];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = 2 * random.NextDouble() - 1;
        }

        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = 2 * random.NextDouble() - 1;
        }

        // Skipped: steps 3 and 17 (inputs), 17, 30, 31 and 59 (targets).
        inputs[3 * 3 + 2] = double.NaN;
        inputs[17 * 3] = double.PositiveInfinity;
        targets[17 * 2 + 1] = double.NaN;
        targets[30 * 2] = double.NegativeInfinity;
        targets[31 * 2 + 1] = double.NaN;
        targets[59 * 2] = double.NaN;
        var options = new TbpttOptions { SkipNonFiniteSteps = true };

        var stepped = CreateTrainer(new MeanSquaredError<double>(), new Adam<double>(0.01), k1, options);
        var steppedOutputs = new double[Steps * 2];
        for (int t = 0; t < Steps; t++)
        {
            stepped.Step(inputs.AsSpan(t * 3, 3), targets.AsSpan(t * 2, 2), steppedOutputs.AsSpan(t * 2, 2));
        }

        var run = CreateTrainer(new MeanSquaredError<double>(), new Adam<double>(0.01), k1, options);
        var runOutputs = new double[Steps * 2];
        run.Run(inputs, targets, runOutputs);

        Assert.Equal(5, run.SkippedStepCount);
        Assert.Equal(5, stepped.SkippedStepCount);
        Assert.Equal(Steps - 5, run.StepsSinceReset);
        Assert.Equal(stepped.UpdateCount, run.UpdateCount);
        Assert.True(CheckpointAssert.BitIdentical<double>(stepped.Cell.Parameters, run.Cell.Parameters), "The parameters differ.");
        Assert.True(CheckpointAssert.BitIdentical<double>(stepped.Cell.State, run.Cell.State), "The states differ.");
        Assert.True(CheckpointAssert.BitIdentical<double>(steppedOutputs, runOutputs), "The outputs differ.");
        Assert.True(double.IsNaN(runOutputs[30 * 2 + 1]));
    }

    [Fact]
    public void A_non_finite_loss_skips_the_update_and_leaves_parameters_and_optimizer_state_alone()
    {
        var optimizer = new Adam<double>(0.01);
        var trainer = CreateTrainer(new MeanSquaredError<double>(), optimizer);
        var random = new Random(1);
        var parameters = trainer.Cell.Parameters.ToArray();

        // First update: fine.
        RunSteps(trainer, random, 6, hugeTargetAt: -1);
        Assert.Equal(UpdateOutcome.Applied, trainer.LastReport.Outcome);
        Assert.Equal(1, optimizer.StepCount);
        Assert.NotEqual(parameters, trainer.Cell.Parameters.ToArray());

        // Second update: one target is so large that its squared error overflows.
        parameters = trainer.Cell.Parameters.ToArray();
        RunSteps(trainer, random, 6, hugeTargetAt: 4);
        var report = trainer.LastReport;
        Assert.Equal(UpdateOutcome.SkippedNonFiniteLoss, report.Outcome);
        Assert.False(report.Applied);
        Assert.True(double.IsPositiveInfinity(report.Loss));
        Assert.Equal(parameters, trainer.Cell.Parameters.ToArray());
        Assert.Equal(1, optimizer.StepCount);

        // Training goes on.
        RunSteps(trainer, random, 6, hugeTargetAt: -1);
        Assert.Equal(UpdateOutcome.Applied, trainer.LastReport.Outcome);
        Assert.Equal(2, optimizer.StepCount);
        Assert.Equal(3, trainer.UpdateCount);
    }

    [Fact]
    public void A_non_finite_gradient_with_a_finite_loss_skips_the_update()
    {
        var optimizer = new Sgd<double>(0.1, momentum: 0.9);
        var trainer = CreateTrainer(new SuppliedGradient<double>(), optimizer, k1: 1);
        for (int t = 0; t < 6; t++)
        {
            trainer.Step(new[] { 0.1, 0.2, 0.3 }, new[] { 0.5, -0.5, 1.0 });
        }

        // The first update came at step 6 (a whole window); now one at every step, covering that step alone. A
        // finite dL/dy of double.MaxValue on both outputs overflows through W_out (all ones) into the gradient.
        Assert.Equal(1, optimizer.StepCount);
        trainer.Cell.Parameter_W_out.Fill(1.0);
        var parameters = trainer.Cell.Parameters.ToArray();
        trainer.Step(new[] { 0.1, 0.2, 0.3 }, new[] { double.MaxValue, double.MaxValue, 1.0 });
        Assert.Equal(UpdateOutcome.SkippedNonFiniteGradient, trainer.LastReport.Outcome);
        Assert.Equal(1.0, trainer.LastReport.Loss);
        Assert.Equal(parameters, trainer.Cell.Parameters.ToArray());
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void Throw_on_non_finite_throws_and_changes_nothing()
    {
        var optimizer = new Adam<double>(0.01);
        var trainer = CreateTrainer(new MeanSquaredError<double>(), optimizer, options: new TbpttOptions { ThrowOnNonFinite = true });
        var random = new Random(2);
        var parameters = trainer.Cell.Parameters.ToArray();
        Assert.Throws<NotFiniteNumberException>(() => RunSteps(trainer, random, 6, hugeTargetAt: 2));
        Assert.Equal(UpdateOutcome.SkippedNonFiniteLoss, trainer.LastReport.Outcome);
        Assert.Equal(parameters, trainer.Cell.Parameters.ToArray());
        Assert.Equal(0, optimizer.StepCount);

        // The trainer is still usable.
        RunSteps(trainer, random, 6, hugeTargetAt: -1);
        Assert.Equal(UpdateOutcome.Applied, trainer.LastReport.Outcome);
    }

    [Fact]
    public void An_overflowing_optimizer_step_is_not_silent()
    {
        var trainer = CreateTrainer(new MeanSquaredError<double>(), new Sgd<double>(1e308));
        var error = Assert.Throws<NotFiniteNumberException>(() => RunSteps(trainer, new Random(3), 6, hugeTargetAt: -1));
        Assert.Contains("learning rate", error.Message);
    }

    private static TbpttTrainer<TrainingElman, double> CreateTrainer(Loss<double> loss, Optimizer<double> optimizer, int k1 = 6, TbpttOptions? options = null)
    {
        var cell = new TrainingElman();
        TbpttExactnessTests.Randomize(cell, new Random(0));
        return new TbpttTrainer<TrainingElman, double>(cell, loss, optimizer, k1, options);
    }

    /// <summary>Random steps; the target of step <paramref name="hugeTargetAt"/> is 1e200, whose squared error overflows.</summary>
    private static void RunSteps(TbpttTrainer<TrainingElman, double> trainer, Random random, int steps, int hugeTargetAt)
    {
        for (int t = 0; t < steps; t++)
        {
            var input = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
            var target = new[] { random.NextDouble(), t == hugeTargetAt ? 1e200 : random.NextDouble() };
            trainer.Step(input, target);
        }
    }

    private static void AssertNamesLength(Action action, string parameter, string expected)
    {
        var error = Assert.Throws<ArgumentException>(action);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(expected, error.Message);
    }
}
