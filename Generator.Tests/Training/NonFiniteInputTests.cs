using System;
using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Sample.Cells;
using UnrolledRnn.Sample.Tasks;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Training;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// One NaN input at step 1000 of a 2048-step chunk, then five clean chunks: the README's LSTM (k1 = k2 = 32, Adam,
/// clipping) on the delayed-recall task, with a delay of 4 so that it learns within the five chunks. By default the
/// run throws an <see cref="ArgumentException"/> naming the step, having taken exactly the steps before it; with
/// <see cref="TbpttOptions.SkipNonFiniteSteps"/> the step is skipped and counted. Either way the next chunks train
/// as usual: every update applied, the loss falling more than tenfold (measured: from about 0.6 to below 0.01).
/// </summary>
public sealed class NonFiniteInputTests
{
    private const int ChunkSteps = 2048, BadStep = 1000, CleanChunks = 5, Delay = 4;

    private readonly ITestOutputHelper _output;

    public NonFiniteInputTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void By_default_a_nan_input_throws_naming_the_step_after_taking_the_steps_before_it()
    {
        var task = new DelayedRecall(Delay, seed: 1);
        var (inputs, targets) = NextChunk(task);
        inputs[BadStep] = float.NaN;
        var trainer = CreateTrainer(skipNonFiniteSteps: false);

        var error = Assert.Throws<ArgumentException>(() => trainer.Run(inputs, targets));
        _output.WriteLine(error.Message);
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains($"inputs[{BadStep}] is NaN", error.Message);
        Assert.Contains($"step {BadStep} of the run (step {BadStep + 1} since the last Reset, {BadStep + 1} since the trainer was created)", error.Message);
        Assert.Equal(BadStep, trainer.StepsSinceReset);

        // Exactly a trainer fed the first 1000 steps: the same parameters, state, optimizer and window, to the bit
        // (the window shows in the updates of the next chunks, compared below).
        var reference = CreateTrainer(skipNonFiniteSteps: false);
        reference.Run(inputs.AsSpan(0, BadStep), targets.AsSpan(0, BadStep));
        AssertSameTraining(reference, trainer);

        // The caller goes on with the next data.
        var reports = TrainCleanChunks(trainer, task, reference);
        Assert.All(reports, report => Assert.Equal(UpdateOutcome.Applied, report.Outcome));
        AssertLossFalls(reports);
    }

    [Fact]
    public void With_skip_non_finite_steps_the_nan_step_is_skipped_and_counted()
    {
        var task = new DelayedRecall(Delay, seed: 1);
        var (inputs, targets) = NextChunk(task);
        inputs[BadStep] = float.NaN;
        var trainer = CreateTrainer(skipNonFiniteSteps: true);
        var firstChunk = new ReportRecorder<float>();
        trainer.Monitor = firstChunk;
        var outputs = new float[ChunkSteps];

        trainer.Run(inputs, targets, outputs);
        Assert.Equal(1, trainer.SkippedStepCount);
        Assert.Equal(ChunkSteps - 1, trainer.StepsSinceReset);
        Assert.True(float.IsNaN(outputs[BadStep]));
        Assert.Equal(1, firstChunk.Reports.Sum(report => report.SkippedSteps));
        var reportAfter = firstChunk.Reports.First(report => report.StepIndex > BadStep);
        Assert.Equal(1, reportAfter.SkippedSteps);
        Assert.Contains("1 non-finite steps skipped", reportAfter.ToString());

        // As if the step were not in the stream.
        var reference = CreateTrainer(skipNonFiniteSteps: false);
        var referenceOutputs = new float[ChunkSteps];
        reference.Run(inputs.AsSpan(0, BadStep), targets.AsSpan(0, BadStep), referenceOutputs.AsSpan(0, BadStep));
        reference.Run(inputs.AsSpan(BadStep + 1), targets.AsSpan(BadStep + 1), referenceOutputs.AsSpan(BadStep + 1));
        AssertSameTraining(reference, trainer);
        referenceOutputs[BadStep] = float.NaN;
        Assert.True(CheckpointAssert.BitIdentical<float>(referenceOutputs, outputs));

        var reports = TrainCleanChunks(trainer, task, reference);
        Assert.All(reports, report => Assert.Equal(UpdateOutcome.Applied, report.Outcome));
        Assert.Equal(1, trainer.SkippedStepCount);
        AssertLossFalls(reports);
    }

    private static TbpttTrainer<LstmLong, float> CreateTrainer(bool skipNonFiniteSteps)
    {
        var cell = new LstmLong();
        cell.InitializeParameters(seed: 1);
        return new TbpttTrainer<LstmLong, float>(cell, new MeanSquaredError<float>(), new Adam<float>(3e-3), updateInterval: 32,
            new TbpttOptions { MaxGradientNorm = 1.0, SkipNonFiniteSteps = skipNonFiniteSteps });
    }

    private static (float[] Inputs, float[] Targets) NextChunk(DelayedRecall task)
    {
        var inputs = new float[ChunkSteps];
        var targets = new float[ChunkSteps];
        task.Next(inputs, targets);
        return (inputs, targets);
    }

    /// <summary>Five clean chunks into both trainers, which stay bit-identical; the reports of the first.</summary>
    private static List<UpdateReport<float>> TrainCleanChunks(TbpttTrainer<LstmLong, float> trainer, DelayedRecall task,
        TbpttTrainer<LstmLong, float> reference)
    {
        var recorder = new ReportRecorder<float>();
        trainer.Monitor = recorder;
        for (int chunk = 0; chunk < CleanChunks; chunk++)
        {
            var (inputs, targets) = NextChunk(task);
            trainer.Run(inputs, targets);
            reference.Run(inputs, targets);
            AssertSameTraining(reference, trainer);
        }

        Assert.Equal(CleanChunks * ChunkSteps / trainer.UpdateInterval, recorder.Reports.Count);
        return recorder.Reports;
    }

    private void AssertLossFalls(List<UpdateReport<float>> reports)
    {
        int perChunk = reports.Count / CleanChunks;
        var means = Enumerable.Range(0, CleanChunks)
            .Select(chunk => reports.Skip(chunk * perChunk).Take(perChunk).Average(report => report.Loss / report.LossSteps))
            .ToArray();
        _output.WriteLine("mean loss per step, chunk by chunk: " + string.Join(", ", means.Select(mean => mean.ToString("F4"))));
        Assert.True(means[^1] < means[0] / 10, "The loss did not fall tenfold.");
    }

    private static void AssertSameTraining(TbpttTrainer<LstmLong, float> expected, TbpttTrainer<LstmLong, float> actual)
    {
        Assert.Equal(expected.StepsSinceReset, actual.StepsSinceReset);
        Assert.Equal(expected.UpdateCount, actual.UpdateCount);
        Assert.Equal(expected.Optimizer.StepCount, actual.Optimizer.StepCount);
        Assert.True(CheckpointAssert.BitIdentical<float>(expected.Cell.Parameters, actual.Cell.Parameters), "The parameters differ.");
        Assert.True(CheckpointAssert.BitIdentical<float>(expected.Cell.State, actual.Cell.State), "The states differ.");
    }
}
