using System;
using System.IO;
using System.Linq;
using UnrolledRnn.Batching;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Batching;

/// <summary>
/// The optimizer state of a learned initial state s0 (a trainer's <c>InitialStateOptimizer</c>) is saved with the
/// parameters' optimizer state, so that training with s0 resumed from the checkpoints is bit-identical to training
/// that never stopped; a file without it, or an optimizer that does not fit, is refused and changes nothing.
/// </summary>
public class LearnedInitialStateOptimizerCheckpointTests
{
    private const int Batch = 3;

    [Fact]
    public void Training_with_s0_resumed_from_checkpoints_is_bit_identical_to_training_that_never_stopped()
    {
        using var directory = new TemporaryDirectory();
        string model = directory.File("model.safetensors"), optimizerFile = directory.File("adam.safetensors");
        using var original = Trained();
        var (cell, trainer) = (original.Cell, original.Trainer);
        Checkpoint.Save(cell, trainer.InitialState, model);
        OptimizerCheckpoint.Save(original.Optimizer, cell, original.InitialStateOptimizer, optimizerFile);
        long s0Updates = original.InitialStateOptimizer.StepCount;
        Assert.InRange(s0Updates, 1, 4); // s0 is stepped only by the updates in which a window starts a sequence
        ResetAllStreams(trainer); // the streams' carried states are not in the checkpoints: both runs start the next sequences from s0
        Train(trainer, firstUpdate: 5, updates: 4);

        using var resumed = Resume(model, optimizerFile, withInitialStateOptimizer: true);
        Assert.Equal(s0Updates, resumed.InitialStateOptimizer.StepCount);
        Train(resumed.Trainer, firstUpdate: 5, updates: 4);
        Assert.True(CheckpointAssert.BitIdentical<double>(cell.Parameters, resumed.Cell.Parameters));
        Assert.True(CheckpointAssert.BitIdentical<double>(trainer.InitialState, resumed.Trainer.InitialState));
        Assert.Equal(original.InitialStateOptimizer.StepCount, resumed.InitialStateOptimizer.StepCount);
        foreach (var (buffer, restored) in original.InitialStateOptimizer.StateBuffers.Zip(resumed.InitialStateOptimizer.StateBuffers))
        {
            Assert.True(CheckpointAssert.BitIdentical<double>(buffer.Values.Span, restored.Values.Span));
        }

        // Without s0's optimizer state (its moments restarted) the same run ends elsewhere: what the file carries matters.
        using var restarted = Resume(model, optimizerFile, withInitialStateOptimizer: false);
        Train(restarted.Trainer, firstUpdate: 5, updates: 4);
        Assert.False(CheckpointAssert.BitIdentical<double>(trainer.InitialState, restarted.Trainer.InitialState));
    }

    [Fact]
    public void The_file_holds_s0s_buffers_as_initial_state_tensors_and_its_own_update_count()
    {
        using var run = Trained();
        using var stream = new MemoryStream();
        OptimizerCheckpoint.Save(run.Optimizer, run.Cell, run.InitialStateOptimizer, stream);
        var file = SafeTensorsFile.Parse(stream.ToArray());

        Assert.Equal(new[] { "initial_state.exp_avg", "initial_state.exp_avg_sq" }, file.Tensors.Select(t => t.Name).Where(n => n.StartsWith("initial_state", StringComparison.Ordinal)));
        Assert.Equal(new long[] { TrainingLstm.StateSize }, file.GetTensor("initial_state.exp_avg").Shape);
        Assert.Equal(run.InitialStateOptimizer.StepCount.ToString(), file.Metadata[OptimizerCheckpoint.InitialStateStepKey]);
        Assert.Equal(run.Optimizer.StepCount.ToString(), file.Metadata[OptimizerCheckpoint.StepKey]);
        Assert.NotEqual(run.Optimizer.StepCount, run.InitialStateOptimizer.StepCount);
    }

    [Fact]
    public void A_file_saved_without_s0s_state_is_refused_by_the_overload_with_s0_and_changes_nothing()
    {
        using var run = Trained();
        using var stream = new MemoryStream();
        OptimizerCheckpoint.Save(run.Optimizer, run.Cell, stream);
        var file = SafeTensorsFile.Parse(stream.ToArray(), "adam.safetensors");

        using var target = Trained();
        Train(target.Trainer, firstUpdate: 5, updates: 1); // a state other than the file's
        var parametersBefore = target.Optimizer.StateBuffers.Select(b => b.Values.ToArray()).ToArray();
        var s0Before = target.InitialStateOptimizer.StateBuffers.Select(b => b.Values.ToArray()).ToArray();
        long stepBefore = target.Optimizer.StepCount;
        var exception = Assert.Throws<CheckpointException>(() =>
            OptimizerCheckpoint.Load(target.Optimizer, target.Cell, target.InitialStateOptimizer, file));
        CheckpointAssert.MessageSays(exception, "adam.safetensors: the metadata 'unrolledrnn.initial_state_step' is missing; expected the update count of the learned initial state's optimizer");

        Assert.Equal(stepBefore, target.Optimizer.StepCount);
        for (int b = 0; b < parametersBefore.Length; b++)
        {
            Assert.True(CheckpointAssert.BitIdentical<double>(parametersBefore[b], target.Optimizer.StateBuffers[b].Values.Span));
            Assert.True(CheckpointAssert.BitIdentical<double>(s0Before[b], target.InitialStateOptimizer.StateBuffers[b].Values.Span));
        }
    }

    [Fact]
    public void A_file_with_s0s_state_loaded_without_it_names_the_overload_to_use()
    {
        using var run = Trained();
        using var stream = new MemoryStream();
        OptimizerCheckpoint.Save(run.Optimizer, run.Cell, run.InitialStateOptimizer, stream);

        var exception = Assert.Throws<CheckpointException>(() =>
            OptimizerCheckpoint.Load(new Adam<double>(1e-2), new TrainingLstm(), SafeTensorsFile.Parse(stream.ToArray())));
        CheckpointAssert.MessageSays(exception, "unexpected tensor 'initial_state.exp_avg', 'initial_state.exp_avg_sq'",
            "'initial_state.exp_avg' is the optimizer state of a learned initial state: load it with OptimizerCheckpoint.Load(optimizer, cell, initialStateOptimizer, ...)");
    }

    [Fact]
    public void An_s0_optimizer_of_another_type_or_length_is_refused()
    {
        var cell = new TrainingLstm();
        var adam = new Adam<double>(1e-2);
        var wrongType = Assert.Throws<ArgumentException>(() => OptimizerCheckpoint.Save(adam, cell, new RmsProp<double>(), new MemoryStream()));
        Assert.Contains("The learned initial state's optimizer is RmsProp; expected Adam", wrongType.Message, StringComparison.Ordinal);

        var wrongLength = new Adam<double>(1e-2);
        wrongLength.Prepare(TrainingLstm.StateSize + 1);
        var exception = Assert.Throws<ArgumentException>(() => OptimizerCheckpoint.Save(adam, cell, wrongLength, new MemoryStream()));
        Assert.Contains($"serves {TrainingLstm.StateSize + 1} values; expected StateSize, the cell's {TrainingLstm.StateSize}", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>A cell, the optimizer of its parameters and the batched trainer learning s0 with them.</summary>
    private sealed record Run(TrainingLstm Cell, Adam<double> Optimizer, BatchedTrainer<TrainingLstm, double> Trainer) : IDisposable
    {
        public Optimizer<double> InitialStateOptimizer => Trainer.InitialStateOptimizer!;

        public void Dispose() => Trainer.Dispose();
    }

    private static Run Create(TrainingLstm cell)
    {
        var adam = new Adam<double>(1e-2);
        return new Run(cell, adam, new BatchedTrainer<TrainingLstm, double>(cell, new MeanSquaredError<double>(), adam, Batch,
            new BatchedTrainerOptions { LearnInitialState = true }));
    }

    /// <summary>A run after five updates, some of whose windows started a sequence.</summary>
    private static Run Trained()
    {
        var cell = new TrainingLstm();
        cell.InitializeParameters(12);
        var run = Create(cell);
        Train(run.Trainer, firstUpdate: 0, updates: 5);
        return run;
    }

    /// <summary>A new cell and trainer from the checkpoints, s0 set, both optimizers restored (or s0's left fresh).</summary>
    private static Run Resume(string model, string optimizerFile, bool withInitialStateOptimizer)
    {
        var cell = new TrainingLstm();
        var s0 = new double[TrainingLstm.StateSize];
        Checkpoint.Load(cell, s0, model);
        var run = Create(cell);
        run.Trainer.SetInitialState(s0);
        if (withInitialStateOptimizer)
        {
            OptimizerCheckpoint.Load(run.Optimizer, cell, run.InitialStateOptimizer, optimizerFile);
        }
        else
        {
            OptimizerCheckpoint.Load(run.Optimizer, cell, optimizerFile, options: new CheckpointLoadOptions { AllowUnexpectedTensors = true });
        }

        return run;
    }

    /// <summary>Updates with data that depends only on the update's number, one stream reset every other update.</summary>
    private static void Train(BatchedTrainer<TrainingLstm, double> trainer, int firstUpdate, int updates)
    {
        var inputs = new double[Batch * TrainingLstm.TruncationLength * TrainingLstm.InputSize];
        var targets = new double[Batch * TrainingLstm.TruncationLength * TrainingLstm.OutputSize];
        for (int update = firstUpdate; update < firstUpdate + updates; update++)
        {
            var random = new Random(100 + update);
            Fill(random, inputs);
            Fill(random, targets);
            if (update % 2 == 1)
            {
                trainer.ResetStream(update % Batch);
            }

            trainer.Update(inputs, targets);
        }
    }

    private static void ResetAllStreams(BatchedTrainer<TrainingLstm, double> trainer)
    {
        for (int s = 0; s < Batch; s++)
        {
            trainer.ResetStream(s);
        }
    }

    private static void Fill(Random random, double[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() * 2 - 1;
        }
    }
}
