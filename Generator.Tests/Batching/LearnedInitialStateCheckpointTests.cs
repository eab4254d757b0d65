using System;
using UnrolledRnn.Batching;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Batching;

/// <summary>
/// A learned initial state ships with its cell: saved in the cell's checkpoint as the tensor
/// <see cref="Checkpoint.InitialStateName"/>, loaded with the parameters, and a streamed sequence started from it
/// (<see cref="UnrolledCellExtensions.ResetState{T}(IUnrolledCell{T}, ReadOnlySpan{T})"/>) runs exactly as the
/// trained cell does.
/// </summary>
public class LearnedInitialStateCheckpointTests
{
    private const int StateSize = TrainingLstm.StateSize;

    [Fact]
    public void A_trained_s0_saved_and_loaded_gives_identical_streaming_outputs()
    {
        var (cell, s0) = Train();
        using var directory = new TemporaryDirectory();
        string path = directory.File("amp.safetensors");
        Checkpoint.Save(cell, s0, path);

        var loaded = new TrainingLstm();
        var loadedS0 = new double[StateSize];
        Checkpoint.Load(loaded, loadedS0, path);

        Assert.Equal(s0, loadedS0);
        Assert.Equal(cell.Parameters.ToArray(), loaded.Parameters.ToArray());
        var trained = Stream(cell, s0);
        Assert.Equal(trained, Stream(loaded, loadedS0));
        Assert.NotEqual(trained, Stream(loaded, new double[StateSize])); // s0 matters: from zero the outputs differ

        // The trainer takes it back, to go on training.
        using var resumed = new BatchedTrainer<TrainingLstm, double>(loaded, new MeanSquaredError<double>(), new Sgd<double>(0.05), 3,
            new BatchedTrainerOptions { LearnInitialState = true });
        resumed.SetInitialState(loadedS0);
        Assert.Equal(s0, resumed.InitialState.ToArray());
    }

    [Fact]
    public void A_checkpoint_with_s0_and_one_without_are_told_apart_by_name()
    {
        var (cell, s0) = Train();
        using var directory = new TemporaryDirectory();
        string withS0 = directory.File("with.safetensors"), without = directory.File("without.safetensors");
        Checkpoint.Save(cell, s0, withS0);
        Checkpoint.Save(cell, without);

        var plainLoad = Assert.Throws<CheckpointException>(() => Checkpoint.Load(new TrainingLstm(), withS0));
        Assert.Contains("unexpected tensor 'initial_state'", plainLoad.Message, StringComparison.Ordinal);
        Assert.Contains("learned initial state: load it with Checkpoint.Load(cell, initialState, ...)", plainLoad.Message, StringComparison.Ordinal);

        var target = new TrainingLstm();
        var before = target.Parameters.ToArray();
        var targetS0 = new double[StateSize];
        var missing = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, targetS0, without));
        Assert.Contains($"missing tensor 'initial_state' (the learned initial state s0, expected F64 [{StateSize}])", missing.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.Parameters.ToArray()); // nothing written
        Assert.Equal(new double[StateSize], targetS0);

        var wrongLength = Assert.Throws<ArgumentException>(() => Checkpoint.Save(cell, new double[StateSize + 2], directory.File("bad.safetensors")));
        Assert.Contains($"Expected initialState to hold {StateSize} elements", wrongLength.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Checkpoint.Load(target, new double[StateSize - 1], withS0));
    }

    /// <summary>A few batched updates with resets: the cell and a trained, non-zero s0.</summary>
    private static (TrainingLstm Cell, double[] InitialState) Train()
    {
        const int batch = 3;
        var cell = new TrainingLstm();
        cell.InitializeParameters(12);
        using var trainer = new BatchedTrainer<TrainingLstm, double>(cell, new MeanSquaredError<double>(), new Adam<double>(1e-2), batch,
            new BatchedTrainerOptions { LearnInitialState = true });
        var random = new Random(3);
        var inputs = new double[batch * TrainingLstm.TruncationLength * TrainingLstm.InputSize];
        var targets = new double[batch * TrainingLstm.TruncationLength * TrainingLstm.OutputSize];
        for (int update = 0; update < 10; update++)
        {
            Fill(random, inputs);
            Fill(random, targets);
            trainer.ResetStream(update % batch);
            trainer.Update(inputs, targets);
        }

        var s0 = trainer.InitialState.ToArray();
        Assert.Contains(s0, v => v != 0);
        return (cell, s0);
    }

    /// <summary>Twenty streaming steps from s0, the outputs of every step.</summary>
    private static double[] Stream(TrainingLstm cell, double[] s0)
    {
        cell.ResetState(s0);
        var outputs = new double[20 * TrainingLstm.OutputSize];
        var input = new double[TrainingLstm.InputSize];
        for (int t = 0; t < 20; t++)
        {
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = Math.Sin(0.3 * t + i);
            }

            cell.Step(input, outputs.AsSpan(t * TrainingLstm.OutputSize, TrainingLstm.OutputSize));
        }

        return outputs;
    }

    private static void Fill(Random random, double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() * 2 - 1;
        }
    }
}
