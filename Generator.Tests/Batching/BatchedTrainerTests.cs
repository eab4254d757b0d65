using System;
using UnrolledRnn.Batching;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Runtime;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Batching;

/// <summary>
/// The batched trainer against a reference built from single-stream windows: the same loss (the mean over the streams),
/// the same gradient and update, each stream's state carried or reset; bit-identical results whatever the number of
/// threads; nothing allocated per update, on any thread.
/// </summary>
public class BatchedTrainerTests
{
    [Fact]
    public void Updates_equal_the_mean_over_streams_of_single_stream_windows_with_resets_and_missing_targets()
    {
        const int batch = 7, updates = 3;
        const double learningRate = 0.05;
        var cell = new TrainingLstm();
        cell.InitializeParameters(3);
        var reference = new TrainingLstm();
        cell.Parameters.CopyTo(reference.Parameters);
        var loss = new MeanSquaredError<double>();
        using var trainer = new BatchedTrainer<TrainingLstm, double>(cell, loss, new Sgd<double>(learningRate), batch,
            new BatchedTrainerOptions { StreamsPerChunk = 3 });
        int k2 = TrainingLstm.TruncationLength, inSize = TrainingLstm.InputSize, outSize = TrainingLstm.OutputSize;
        var states = new double[batch][];
        for (int s = 0; s < batch; s++)
        {
            states[s] = new double[TrainingLstm.StateSize];
        }

        var random = new Random(11);
        for (int update = 0; update < updates; update++)
        {
            var inputs = Random(random, batch * k2 * inSize);
            var targets = Random(random, batch * k2 * outSize);
            var hasTarget = new bool[batch * k2];
            for (int i = 0; i < hasTarget.Length; i++)
            {
                hasTarget[i] = random.NextDouble() < 0.7;
            }

            if (update == 1)
            {
                // Streams 2 and 5 start new sequences.
                trainer.ResetStream(2);
                trainer.ResetStream(5);
                Array.Clear(states[2]);
                Array.Clear(states[5]);
            }

            // The reference: each stream's window alone, dL/dy scaled by 1/B, the gradients summed, one SGD step.
            reference.ZeroGradients();
            double expectedLoss = 0;
            int expectedSteps = 0;
            for (int s = 0; s < batch; s++)
            {
                states[s].CopyTo(reference.State);
                var outputs = new double[k2 * outSize];
                reference.Forward(inputs.AsSpan(s * k2 * inSize, k2 * inSize), outputs);
                states[s] = reference.State.ToArray();
                var outputGradients = new double[k2 * outSize];
                for (int t = 0; t < k2; t++)
                {
                    if (!hasTarget[s * k2 + t])
                    {
                        continue;
                    }

                    expectedLoss += loss.Evaluate(outputs.AsSpan(t * outSize, outSize), targets.AsSpan((s * k2 + t) * outSize, outSize), outputGradients.AsSpan(t * outSize, outSize));
                    expectedSteps++;
                    for (int j = 0; j < outSize; j++)
                    {
                        outputGradients[t * outSize + j] /= batch;
                    }
                }

                reference.Backward(outputGradients, ReadOnlySpan<double>.Empty, new double[TrainingLstm.StateSize], new double[k2]);
            }

            var expectedParameters = reference.Parameters.ToArray();
            for (int i = 0; i < expectedParameters.Length; i++)
            {
                expectedParameters[i] -= learningRate * reference.Gradients[i];
            }

            Assert.True(trainer.Update(inputs, targets, hasTarget));

            var report = trainer.LastReport;
            Assert.Equal(expectedSteps, report.LossSteps);
            Assert.Equal(expectedLoss / batch, report.Loss, 1e-12);
            Assert.Equal(GradientClipping.GlobalNorm<double>(reference.Gradients), report.GradientNorm, 1e-12);
            AssertClose(expectedParameters, cell.Parameters.ToArray());
            for (int s = 0; s < batch; s++)
            {
                AssertClose(states[s], trainer.StateOf(s).ToArray());
            }

            cell.Parameters.CopyTo(reference.Parameters);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_two_and_four_threads_give_bit_identical_parameters_and_s0_after_100_updates(bool learnInitialState)
    {
        var one = Train(threads: 1, learnInitialState);
        var two = Train(threads: 2, learnInitialState);
        var four = Train(threads: 4, learnInitialState);
        Assert.Equal(one.Parameters, two.Parameters);
        Assert.Equal(one.Parameters, four.Parameters);
        Assert.Equal(one.InitialState, two.InitialState);
        Assert.Equal(one.InitialState, four.InitialState);
        var initial = new TrainingEchoLstm();
        initial.InitializeParameters(5);
        Assert.NotEqual(initial.Parameters.ToArray(), one.Parameters); // trained, and finite
        Assert.All(one.Parameters, p => Assert.True(float.IsFinite(p)));
        if (learnInitialState)
        {
            Assert.All(one.InitialState, v => Assert.True(float.IsFinite(v)));
            Assert.Contains(one.InitialState, v => v != 0); // trained
        }

        static (float[] Parameters, float[] InitialState) Train(int threads, bool learnInitialState)
        {
            const int batch = 21;
            var cell = new TrainingEchoLstm();
            cell.InitializeParameters(5);
            using var trainer = new BatchedTrainer<TrainingEchoLstm, float>(cell, new MeanSquaredError<float>(), new Adam<float>(1e-2), batch,
                new BatchedTrainerOptions { StreamsPerChunk = 4, Threads = threads, MaxGradientNorm = 1.0, LearnInitialState = learnInitialState });
            var random = new Random(17);
            var inputs = new float[batch * TrainingEchoLstm.TruncationLength];
            var targets = new float[inputs.Length];
            for (int update = 0; update < 100; update++)
            {
                for (int i = 0; i < inputs.Length; i++)
                {
                    inputs[i] = (float)(random.NextDouble() * 2 - 1);
                    targets[i] = (float)(random.NextDouble() * 2 - 1);
                }

                if (learnInitialState)
                {
                    // Sequences of various lengths: streams in different chunks start anew, from s0.
                    trainer.ResetStream(update % batch);
                    trainer.ResetStream(update * 7 % batch);
                }

                trainer.Update(inputs, targets);
            }

            Assert.Equal(100, trainer.UpdateCount);
            return (cell.Parameters.ToArray(), learnInitialState ? trainer.InitialState.ToArray() : Array.Empty<float>());
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void An_update_allocates_nothing_on_any_thread(int threads, bool learnInitialState)
    {
        const int batch = 12;
        var cell = new TrainingEchoLstm();
        cell.InitializeParameters(1);
        using var trainer = new BatchedTrainer<TrainingEchoLstm, float>(cell, new MeanSquaredError<float>(), new Adam<float>(1e-3), batch,
            new BatchedTrainerOptions
            {
                StreamsPerChunk = 5, Threads = threads, MaxGradientNorm = 1.0, MaxGradientValue = 0.5, LearnInitialState = learnInitialState,
            });
        var inputs = new float[batch * TrainingEchoLstm.TruncationLength];
        var targets = new float[inputs.Length];
        var hasTarget = new bool[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = MathF.Sin(i);
            targets[i] = MathF.Cos(i);
            hasTarget[i] = i % 3 != 0;
        }

        int resets = 0;
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            if (learnInitialState)
            {
                trainer.ResetStream(resets++ % batch); // a sequence starts in every update: s0 is stepped every time
            }

            trainer.Update(inputs, targets, hasTarget);
        }, calls: 50, otherThreadsAllocatedBytes: () => trainer.WorkerAllocatedBytes);

        Assert.Equal(0, allocated);
        Assert.True(!learnInitialState || trainer.InitialStateOptimizer!.StepCount > 50);
    }

    [Fact]
    public void A_non_finite_input_is_refused_by_stream_and_step_before_anything_changes()
    {
        var cell = new TrainingElman();
        cell.InitializeParameters(1);
        var before = cell.Parameters.ToArray();
        using var trainer = new BatchedTrainer<TrainingElman, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0.1), 3);
        var inputs = new double[3 * TrainingElman.TruncationLength * TrainingElman.InputSize];
        inputs[(2 * TrainingElman.TruncationLength + 4) * TrainingElman.InputSize + 1] = double.NaN;

        var error = Assert.Throws<ArgumentException>(() => trainer.Update(inputs, new double[3 * TrainingElman.TruncationLength * TrainingElman.OutputSize]));

        Assert.Contains("stream 2, step 4 of the window, element 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, cell.Parameters.ToArray());
        Assert.Equal(0, trainer.UpdateCount);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"element {i}: {actual[i]} vs {expected[i]}");
        }
    }

    private static double[] Random(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.NextDouble() * 2 - 1;
        }

        return values;
    }
}
