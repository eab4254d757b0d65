using System;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Training;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// Training on a small synthetic task drives the loss down: a float LSTM (H = 16) learns to output its input
/// delayed by three steps, from one stream of uniform noise, with TBPTT(4, 16), Adam and clipping by norm.
/// The loss is measured before and after on a held-out stream with the parameters frozen.
/// </summary>
public sealed class TrainingRunTests
{
    private const int Delay = 3;

    private readonly ITestOutputHelper _output;

    public TrainingRunTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Learning_a_delayed_echo_cuts_the_loss_by_a_factor_of_twenty()
    {
        const int TrainingSteps = 12000, RunLength = 100;
        var cell = new TrainingEchoLstm();
        cell.InitializeParameters(seed: 1);
        var trainer = new TbpttTrainer<TrainingEchoLstm, float>(cell, new MeanSquaredError<float>(), new Adam<float>(learningRate: 0.01), updateInterval: 4,
            new TbpttOptions { MaxGradientNorm = 1.0 });

        var random = new Random(42);
        var heldOut = Noise(random, 2000);
        double before = HeldOutLoss(cell, heldOut);

        // The stream, in runs of 100 steps: the first three steps have no target (nothing to echo yet).
        var stream = Noise(random, TrainingSteps);
        var targets = new float[TrainingSteps];
        for (int t = Delay; t < TrainingSteps; t++)
        {
            targets[t] = stream[t - Delay];
        }

        trainer.Run(stream.AsSpan(0, Delay), ReadOnlySpan<float>.Empty);
        double firstLosses = 0, lastLosses = 0;
        int firstCount = 0, lastCount = 0;
        for (int t = Delay; t < TrainingSteps; t += RunLength)
        {
            int length = Math.Min(RunLength, TrainingSteps - t);
            trainer.Run(stream.AsSpan(t, length), targets.AsSpan(t, length));
            var report = trainer.LastReport;
            Assert.True(report.Applied);
            if (t < 1000)
            {
                firstLosses += report.Loss / report.LossSteps;
                firstCount++;
            }
            else if (t >= TrainingSteps - 1000)
            {
                lastLosses += report.Loss / report.LossSteps;
                lastCount++;
            }
        }

        double after = HeldOutLoss(cell, heldOut);
        _output.WriteLine($"{trainer.UpdateCount} updates over {TrainingSteps} steps (k1 = 4, k2 = 16, Adam 0.01, clip 1.0)");
        _output.WriteLine($"training loss per step: {firstLosses / firstCount:G4} early, {lastLosses / lastCount:G4} late");
        _output.WriteLine($"held-out MSE: {before:G4} before, {after:G4} after: reduced {before / after:F0}x");
        Assert.True(before / after >= 20, $"held-out loss only reduced {before / after:F1}x");
    }

    /// <summary>The mean MSE over a stream from the zero state, without training: one Step at a time, parameters frozen.</summary>
    private static double HeldOutLoss(TrainingEchoLstm cell, float[] stream)
    {
        var saved = cell.State.ToArray();
        cell.ResetState();
        var output = new float[1];
        double sum = 0;
        for (int t = 0; t < stream.Length; t++)
        {
            cell.Step(stream.AsSpan(t, 1), output);
            if (t >= Delay)
            {
                double error = output[0] - stream[t - Delay];
                sum += error * error;
            }
        }

        saved.CopyTo(cell.State);
        return sum / (stream.Length - Delay);
    }

    private static float[] Noise(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(2 * random.NextDouble() - 1);
        }

        return values;
    }
}
