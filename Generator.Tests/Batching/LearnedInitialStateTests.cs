using System;
using UnrolledRnn.Batching;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Training;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Batching;

/// <summary>
/// The learned initial state s0 of the batched trainer (<see cref="BatchedTrainerOptions.LearnInitialState"/>): its
/// gradient against central finite differences of the batch's loss and against the sum of the single-stream windows'
/// dL/ds_{-1}; its place in clipping; its optimizer; the single-stream trainer learning the same s0. Bit-identical
/// results on 1, 2 and 4 threads and no allocation per update, with s0, are checked by BatchedTrainerTests.
/// </summary>
public class LearnedInitialStateTests
{
    private const int K2 = TrainingLstm.TruncationLength, InSize = TrainingLstm.InputSize, OutSize = TrainingLstm.OutputSize, StateSize = TrainingLstm.StateSize;

    private readonly ITestOutputHelper _output;

    public LearnedInitialStateTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_gradient_of_s0_is_the_sum_over_the_streams_that_start_a_sequence_and_matches_finite_differences()
    {
        const int batch = 5;
        const double learningRate = 0.1;
        var cell = new TrainingLstm();
        cell.InitializeParameters(7);
        var loss = new MeanSquaredError<double>();
        using var trainer = new BatchedTrainer<TrainingLstm, double>(cell, loss, new Sgd<double>(learningRate), batch,
            new BatchedTrainerOptions { StreamsPerChunk = 2, LearnInitialState = true });
        var random = new Random(23);
        trainer.SetInitialState(Random(random, StateSize));

        // Update 0: every stream's first window starts a sequence. Update 1: none does. Update 2: streams 1 and 3 do.
        for (int update = 0; update < 3; update++)
        {
            if (update == 2)
            {
                trainer.ResetStream(1);
                trainer.ResetStream(3);
            }

            var starts = new bool[batch];
            for (int s = 0; s < batch; s++)
            {
                starts[s] = update == 0 || (update == 2 && (s == 1 || s == 3));
            }

            var window = Window.Random(random, batch);
            var reference = new TrainingLstm();
            cell.Parameters.CopyTo(reference.Parameters);
            var s0 = trainer.InitialState.ToArray();
            var startStates = StartStates(trainer, starts, s0);
            var expected = new double[StateSize];
            double expectedLoss = window.Loss(reference, loss, startStates, starts, expected);

            Assert.True(trainer.Update(window.Inputs, window.Targets, window.HasTarget));

            Assert.Equal(expectedLoss, trainer.LastReport.Loss, 1e-12);
            if (update == 1)
            {
                Assert.True(trainer.InitialStateGradient.IsEmpty);
                Assert.Equal(s0, trainer.InitialState.ToArray());
                continue;
            }

            var gradient = trainer.InitialStateGradient.ToArray();
            var finiteDifferences = window.FiniteDifferences(reference, loss, startStates, starts, s0);
            double againstSum = MaxRelativeDifference(expected, gradient);
            double againstFiniteDifferences = MaxRelativeDifference(finiteDifferences, gradient);
            _output.WriteLine($"update {update}: s0 gradient vs the sum of single-stream dL/ds_-1 {againstSum:E2}, vs central differences {againstFiniteDifferences:E2}");
            Assert.True(againstSum <= 1e-12, $"against the single-stream sum: {againstSum:E2}");
            Assert.True(againstFiniteDifferences <= 1e-7, $"against finite differences: {againstFiniteDifferences:E2}");

            // SGD stepped s0 with that gradient.
            for (int i = 0; i < StateSize; i++)
            {
                Assert.Equal(s0[i] - learningRate * gradient[i], trainer.InitialState[i], 1e-15);
            }
        }
    }

    [Fact]
    public void S0_counts_in_the_gradient_norm_and_is_clipped_with_the_parameters()
    {
        const int batch = 4;
        const double maxNorm = 1e-3;
        var cell = new TrainingLstm();
        cell.InitializeParameters(9);
        var loss = new MeanSquaredError<double>();
        using var trainer = new BatchedTrainer<TrainingLstm, double>(cell, loss, new Sgd<double>(0.1), batch,
            new BatchedTrainerOptions { StreamsPerChunk = 3, LearnInitialState = true, MaxGradientNorm = maxNorm });
        var random = new Random(5);
        trainer.SetInitialState(Random(random, StateSize));
        var window = Window.Random(random, batch);
        var reference = new TrainingLstm();
        cell.Parameters.CopyTo(reference.Parameters);
        var starts = new[] { true, true, true, true };
        var expected = new double[StateSize];
        window.Loss(reference, loss, StartStates(trainer, starts, trainer.InitialState.ToArray()), starts, expected);

        trainer.Update(window.Inputs, window.Targets, window.HasTarget);

        double norm = Math.Sqrt(SumOfSquares(reference.Gradients.ToArray()) + SumOfSquares(expected));
        Assert.Equal(norm, trainer.LastReport.GradientNorm, 1e-12);
        Assert.True(trainer.LastReport.Clipped);
        for (int i = 0; i < StateSize; i++)
        {
            Assert.Equal(expected[i] * maxNorm / norm, trainer.InitialStateGradient[i], 1e-15);
        }

        double appliedNorm = Math.Sqrt(SumOfSquares(cell.Gradients.ToArray()) + SumOfSquares(trainer.InitialStateGradient.ToArray()));
        Assert.Equal(maxNorm, appliedNorm, 1e-15);
    }

    [Fact]
    public void S0_has_its_own_optimizer_state_stepped_only_when_a_window_starts_a_sequence_at_the_parameters_learning_rate()
    {
        const int batch = 3;
        var cell = new TrainingLstm();
        cell.InitializeParameters(2);
        var adam = new Adam<double>(1e-2);
        using var trainer = new BatchedTrainer<TrainingLstm, double>(cell, new MeanSquaredError<double>(), adam, batch,
            new BatchedTrainerOptions { LearnInitialState = true });
        var s0Adam = new Adam<double>(1e-2); // PyTorch: s0 is one more parameter of the optimizer, with its own moments
        var expectedS0 = new double[StateSize];
        var random = new Random(8);

        trainer.Update(Window.Random(random, batch).Inputs, Window.Random(random, batch).Targets);
        s0Adam.Step(expectedS0, trainer.InitialStateGradient);
        Assert.Equal(expectedS0, trainer.InitialState.ToArray());
        Assert.Equal(1, trainer.InitialStateOptimizer!.StepCount);

        trainer.Update(Window.Random(random, batch).Inputs, Window.Random(random, batch).Targets);
        Assert.Equal(expectedS0, trainer.InitialState.ToArray());
        Assert.Equal(1, trainer.InitialStateOptimizer.StepCount);
        Assert.Equal(2, adam.StepCount);

        adam.LearningRate = 5e-3;
        s0Adam.LearningRate = 5e-3;
        trainer.ResetStream(2);
        trainer.Update(Window.Random(random, batch).Inputs, Window.Random(random, batch).Targets);
        s0Adam.Step(expectedS0, trainer.InitialStateGradient);
        Assert.Equal(expectedS0, trainer.InitialState.ToArray());
        Assert.Equal(2, trainer.InitialStateOptimizer.StepCount);
        Assert.NotEqual(new double[StateSize], expectedS0);
    }

    [Fact]
    public void The_single_stream_trainer_learns_the_same_s0_as_the_batched_trainer_of_one_stream()
    {
        const double learningRate = 0.1;
        var single = new TrainingLstm();
        single.InitializeParameters(4);
        var batched = new TrainingLstm();
        single.Parameters.CopyTo(batched.Parameters);
        var loss = new MeanSquaredError<double>();
        var singleTrainer = new TbpttTrainer<TrainingLstm, double>(single, loss, new Sgd<double>(learningRate, momentum: 0.5), updateInterval: K2,
            new TbpttOptions { LearnInitialState = true });
        using var batchedTrainer = new BatchedTrainer<TrainingLstm, double>(batched, loss, new Sgd<double>(learningRate, momentum: 0.5), 1,
            new BatchedTrainerOptions { LearnInitialState = true });
        var random = new Random(31);

        // Three sequences of two windows each: the first window of each trains s0, the second does not.
        for (int sequence = 0; sequence < 3; sequence++)
        {
            if (sequence > 0)
            {
                singleTrainer.Reset();
                batchedTrainer.ResetStream(0);
            }

            for (int windowIndex = 0; windowIndex < 2; windowIndex++)
            {
                var window = Window.Random(random, 1);
                Assert.Equal(1, singleTrainer.Run(window.Inputs, window.Targets));
                Assert.True(batchedTrainer.Update(window.Inputs, window.Targets));
                Assert.Equal(windowIndex == 1, singleTrainer.InitialStateGradient.IsEmpty);
                Assert.Equal(windowIndex == 1, batchedTrainer.InitialStateGradient.IsEmpty);
            }
        }

        double parameters = MaxRelativeDifference(batched.Parameters.ToArray(), single.Parameters.ToArray());
        double s0 = MaxRelativeDifference(batchedTrainer.InitialState.ToArray(), singleTrainer.InitialState.ToArray());
        _output.WriteLine($"single-stream vs batched (B = 1), after 6 updates: parameters {parameters:E2}, s0 {s0:E2}");
        Assert.True(parameters <= 1e-12, $"parameters: {parameters:E2}");
        Assert.True(s0 <= 1e-12, $"s0: {s0:E2}");
        Assert.Equal(3, singleTrainer.InitialStateOptimizer!.StepCount);
        Assert.Contains(singleTrainer.InitialState.ToArray(), v => v != 0);
    }

    [Fact]
    public void Bad_arguments_name_what_was_expected()
    {
        var cell = new TrainingLstm();
        using var trainer = new BatchedTrainer<TrainingLstm, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0.1), 2,
            new BatchedTrainerOptions { LearnInitialState = true });

        var wrongLength = Assert.Throws<ArgumentException>(() => trainer.SetInitialState(new double[StateSize + 1]));
        Assert.Contains($"Expected initialState to hold {StateSize} elements (StateSize, the cell's), but it holds {StateSize + 1}", wrongLength.Message, StringComparison.Ordinal);
        var notFinite = new double[StateSize];
        notFinite[3] = double.NaN;
        var nan = Assert.Throws<ArgumentException>(() => trainer.SetInitialState(notFinite));
        Assert.Contains("Expected finite values in initialState, but initialState[3] is NaN", nan.Message, StringComparison.Ordinal);
        Assert.Equal(new double[StateSize], trainer.InitialState.ToArray());

        var resetWrongLength = Assert.Throws<ArgumentException>(() => cell.ResetState(new double[StateSize - 1]));
        Assert.Contains($"Expected initialState to hold {StateSize} elements (StateSize)", resetWrongLength.Message, StringComparison.Ordinal);

        using var withoutS0 = new BatchedTrainer<TrainingLstm, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0.1), 2);
        var off = Assert.Throws<InvalidOperationException>(() => withoutS0.SetInitialState(new double[StateSize]));
        Assert.Contains("BatchedTrainerOptions.LearnInitialState = true", off.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => withoutS0.InitialState.ToArray());
        Assert.Null(withoutS0.InitialStateOptimizer);

        var single = new TbpttTrainer<TrainingLstm, double>(new TrainingLstm(), new MeanSquaredError<double>(), new Sgd<double>(0.1), K2);
        var singleOff = Assert.Throws<InvalidOperationException>(() => single.InitialStateGradient.ToArray());
        Assert.Contains("TbpttOptions.LearnInitialState = true", singleOff.Message, StringComparison.Ordinal);
        var withArtbp = Assert.Throws<ArgumentException>(() => new TbpttTrainer<TrainingLstm, double>(new TrainingLstm(), new MeanSquaredError<double>(),
            new Sgd<double>(0.1), K2, new TbpttOptions { LearnInitialState = true, Artbp = ArtbpSchedule.Constant(0.1) }));
        Assert.Contains("Artbp", withArtbp.Message, StringComparison.Ordinal);
    }

    /// <summary>The state each stream's window starts from: s0 for a stream that starts a sequence, else its carried state.</summary>
    private static double[][] StartStates(BatchedTrainer<TrainingLstm, double> trainer, bool[] starts, double[] s0)
    {
        var states = new double[starts.Length][];
        for (int s = 0; s < starts.Length; s++)
        {
            states[s] = starts[s] ? (double[])s0.Clone() : trainer.StateOf(s).ToArray();
        }

        return states;
    }

    private static double MaxRelativeDifference(double[] expected, double[] actual)
    {
        double scale = 0, difference = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            difference = Math.Max(difference, Math.Abs(expected[i] - actual[i]));
        }

        return difference / scale;
    }

    private static double SumOfSquares(double[] values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v * v;
        }

        return sum;
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

    /// <summary>One update's data for B streams of <see cref="TrainingLstm"/>, and the naive reference: each stream's window alone.</summary>
    private sealed record Window(int Batch, double[] Inputs, double[] Targets, bool[] HasTarget)
    {
        public static Window Random(Random random, int batch)
        {
            var hasTarget = new bool[batch * K2];
            for (int i = 0; i < hasTarget.Length; i++)
            {
                hasTarget[i] = random.NextDouble() < 0.8;
            }

            return new Window(batch, LearnedInitialStateTests.Random(random, batch * K2 * InSize), LearnedInitialStateTests.Random(random, batch * K2 * OutSize), hasTarget);
        }

        /// <summary>
        /// The batch's loss, the mean over the streams of each stream's summed loss, each stream run alone from its
        /// start state; the parameters' gradient accumulated in <paramref name="reference"/> and, when given,
        /// Σ dL/ds_{-1} over the streams that start a sequence in <paramref name="initialStateGradient"/>.
        /// </summary>
        public double Loss(TrainingLstm reference, MeanSquaredError<double> loss, double[][] startStates, bool[] starts, double[]? initialStateGradient)
        {
            reference.ZeroGradients();
            double total = 0;
            var streamInitialStateGradient = new double[StateSize];
            for (int s = 0; s < Batch; s++)
            {
                startStates[s].CopyTo(reference.State);
                var outputs = new double[K2 * OutSize];
                reference.Forward(Inputs.AsSpan(s * K2 * InSize, K2 * InSize), outputs);
                var outputGradients = new double[K2 * OutSize];
                for (int t = 0; t < K2; t++)
                {
                    if (HasTarget[s * K2 + t])
                    {
                        total += loss.Evaluate(outputs.AsSpan(t * OutSize, OutSize), Targets.AsSpan((s * K2 + t) * OutSize, OutSize), outputGradients.AsSpan(t * OutSize, OutSize));
                    }
                }

                if (initialStateGradient is null)
                {
                    continue;
                }

                for (int j = 0; j < outputGradients.Length; j++)
                {
                    outputGradients[j] /= Batch;
                }

                reference.Backward(outputGradients, ReadOnlySpan<double>.Empty, streamInitialStateGradient, new double[K2]);
                if (starts[s])
                {
                    for (int i = 0; i < StateSize; i++)
                    {
                        initialStateGradient[i] += streamInitialStateGradient[i];
                    }
                }
            }

            return total / Batch;
        }

        /// <summary>dL/ds0 by central differences: s0 moved in the start state of every stream that starts a sequence.</summary>
        public double[] FiniteDifferences(TrainingLstm reference, MeanSquaredError<double> loss, double[][] startStates, bool[] starts, double[] s0)
        {
            const double h = 1e-6;
            var gradient = new double[StateSize];
            for (int i = 0; i < StateSize; i++)
            {
                gradient[i] = (LossAt(i, s0[i] + h) - LossAt(i, s0[i] - h)) / (2 * h);
            }

            return gradient;

            double LossAt(int element, double value)
            {
                var moved = new double[Batch][];
                for (int s = 0; s < Batch; s++)
                {
                    moved[s] = (double[])startStates[s].Clone();
                    if (starts[s])
                    {
                        moved[s][element] = value;
                    }
                }

                return Loss(reference, loss, moved, starts, initialStateGradient: null);
            }
        }
    }
}
