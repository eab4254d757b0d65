using System;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Runtime;
using UnrolledRnn.Training;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// Steady-state updates allocate nothing: after a warm-up of a few hundred updates, a few hundred more are measured
/// with <see cref="GC.GetAllocatedBytesForCurrentThread"/> (<see cref="SteadyStateAllocation"/>), on a float LSTM
/// (In 4, H 16, Out 4, k2 = 8), for every path through the trainer: step by step and in runs, k1 below, equal
/// to and above k2, each optimizer, both clippings, every loss, ARTBP, skipped updates, skipped non-finite steps,
/// restored overflowed states and a monitor.
/// </summary>
public sealed class TrainerAllocationTests
{
    private const int MeasuredUpdates = 300;

    private readonly ITestOutputHelper _output;

    public TrainerAllocationTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Scenarios => new()
    {
        "step k1=8 sgd-momentum mse clip-norm",
        "step k1=2 adam mse clip-value",
        "run k1=8 adamw bce",
        "run k1=3 rmsprop softmax",
        "run k1=13 sgd supplied",
        "step k1=1 adam mse artbp",
        "step k1=8 adam mse huge-targets",
        "run k1=3 sgd mse skip-nan-inputs",
        "step k1=8 adam mse skip-nan-inputs",
        "run k1=8 adam mse overflow",
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Updates_allocate_nothing_in_steady_state(string scenario)
    {
        var parts = scenario.Split(' ');
        bool inRuns = parts[0] == "run";
        int k1 = int.Parse(parts[1].AsSpan(3));
        var cell = new TrainingAllocationLstm();
        cell.InitializeParameters(seed: 3);
        Loss<float> loss = parts[3] switch
        {
            "mse" => new MeanSquaredError<float>(),
            "bce" => new BinaryCrossEntropyWithLogits<float>(),
            "softmax" => new SoftmaxCrossEntropy<float>(),
            _ => new SuppliedGradient<float>(),
        };
        var options = new TbpttOptions
        {
            MaxGradientNorm = scenario.Contains("clip-norm") ? 0.5 : null,
            MaxGradientValue = scenario.Contains("clip-value") ? 0.01 : null,
            Artbp = scenario.Contains("artbp") ? ArtbpSchedule.Constant(0.2) : null,
            SkipNonFiniteSteps = scenario.Contains("skip-nan-inputs"),
        };
        var trainer = new TbpttTrainer<TrainingAllocationLstm, float>(cell, loss, OptimizerTests.Create<float>(parts[2]), k1, options);
        var monitor = new CountingMonitor();
        trainer.Monitor = monitor;

        // One stream of 64 steps, replayed; in runs of 64 steps when measuring runs.
        const int Length = 64;
        var random = new Random(11);
        var inputs = new float[Length * TrainingAllocationLstm.InputSize];
        var targets = new float[Length * trainer.TargetSize];
        var outputs = new float[Length * TrainingAllocationLstm.OutputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(2 * random.NextDouble() - 1);
        }

        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = loss is SoftmaxCrossEntropy<float> ? random.Next(TrainingAllocationLstm.OutputSize) : (float)random.NextDouble();
        }

        if (scenario.Contains("huge-targets"))
        {
            targets[5 * trainer.TargetSize] = 1e30f; // its squared error overflows: every replay has a skipped update
        }

        if (scenario.Contains("skip-nan-inputs"))
        {
            inputs[5 * TrainingAllocationLstm.InputSize] = float.NaN; // every replay skips a step
        }

        if (scenario.Contains("overflow"))
        {
            // Products of +-inf in the gates make the state NaN at step 5 of every replay: it is restored.
            cell.Parameter_W_ih.Fill(10f);
            inputs[5 * TrainingAllocationLstm.InputSize] = float.MaxValue;
            inputs[5 * TrainingAllocationLstm.InputSize + 1] = -float.MaxValue;
        }

        void Train(int updates)
        {
            long target = trainer.UpdateCount + updates;
            while (trainer.UpdateCount < target)
            {
                if (inRuns)
                {
                    trainer.Run(inputs, targets, outputs);
                    continue;
                }

                for (int t = 0; t < Length && trainer.UpdateCount < target; t++)
                {
                    trainer.Step(inputs.AsSpan(t * TrainingAllocationLstm.InputSize, TrainingAllocationLstm.InputSize), targets.AsSpan(t * trainer.TargetSize, trainer.TargetSize),
                        outputs.AsSpan(t * TrainingAllocationLstm.OutputSize, TrainingAllocationLstm.OutputSize));
                }
            }
        }

        // Warmed up by one call, then measured up to ten times, stopping at the first zero (SteadyStateAllocation):
        // tiered compilation can swap code in during a measurement on a loaded machine and allocate once on this
        // thread (7,760 bytes in one CI run); an allocation of the trainer happens in every update of every attempt.
        long stepsBefore = trainer.StepsSinceReset;
        long bytes = SteadyStateAllocation.Measure(() => Train(MeasuredUpdates), calls: 1);
        long updates = trainer.UpdateCount;

        _output.WriteLine($"{scenario}: the last measured {MeasuredUpdates} updates allocated {bytes} bytes " +
                          $"({(double)bytes / MeasuredUpdates:F1} per update); {updates} updates over {trainer.StepsSinceReset - stepsBefore} steps in all; " +
                          $"last: {trainer.LastReport}; {monitor.Skipped} skipped so far");
        Assert.Equal(monitor.Count, trainer.UpdateCount);
        Assert.True(float.IsFinite(trainer.Cell.Parameters[0]));
        Assert.Equal(scenario.Contains("huge-targets") || scenario.Contains("overflow"), monitor.Skipped > 0);
        Assert.Equal(scenario.Contains("skip-nan-inputs"), trainer.SkippedStepCount > 0);
        Assert.Equal(scenario.Contains("overflow"), trainer.StateRestoreCount > 0);
        Assert.Equal(0, bytes);
    }

    private sealed class CountingMonitor : ITrainingMonitor<float>
    {
        public long Count { get; private set; }

        public long Skipped { get; private set; }

        public void OnUpdate(in UpdateReport<float> report)
        {
            Count++;
            Skipped += report.Applied ? 0 : 1;
        }
    }
}
