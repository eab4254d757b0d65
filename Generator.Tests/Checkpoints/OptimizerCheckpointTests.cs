using System;
using System.IO;
using System.Linq;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// Optimizer state, saved separately from the parameters: the buffers and the update count round-trip bit-exactly,
/// so that training resumed from the two checkpoints is bit-identical to training that never stopped; a file
/// that does not fit the optimizer is rejected and the state stays as it was.
/// </summary>
public sealed class OptimizerCheckpointTests
{
    /// <summary>A few updates of <paramref name="optimizer"/> on <paramref name="cell"/> with a fixed window each.</summary>
    private static void Train(TorchLstmSmallF32 cell, Optimizer<float> optimizer, int updates, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[TorchLstmSmallF32.TruncationLength * TorchLstmSmallF32.InputSize];
        var outputs = new float[TorchLstmSmallF32.TruncationLength * TorchLstmSmallF32.OutputSize];
        var outputGradients = new float[outputs.Length];
        for (int update = 0; update < updates; update++)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)(random.NextDouble() - 0.5);
            }

            for (int i = 0; i < outputGradients.Length; i++)
            {
                outputGradients[i] = (float)(random.NextDouble() - 0.5);
            }

            cell.ResetState();
            cell.ZeroGradients();
            cell.Forward(inputs, outputs);
            cell.Backward(outputGradients, default, new float[TorchLstmSmallF32.StateSize], new float[TorchLstmSmallF32.TruncationLength]);
            optimizer.Step(cell.Parameters, cell.Gradients);
        }
    }

    public static TheoryData<string> OptimizerKinds => new() { "Adam", "AdamW", "SgdMomentum", "RmsPropMomentum" };

    private static Optimizer<float> Create(string kind) => kind switch
    {
        "Adam" => new Adam<float>(learningRate: 0.01),
        "AdamW" => new AdamW<float>(learningRate: 0.01),
        "SgdMomentum" => new Sgd<float>(learningRate: 0.05, momentum: 0.9, nesterov: true),
        "RmsPropMomentum" => new RmsProp<float>(learningRate: 0.01, momentum: 0.5),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(OptimizerKinds))]
    public void Training_resumed_from_checkpoints_is_bit_identical_to_training_that_never_stopped(string kind)
    {
        using var directory = new TemporaryDirectory();
        var cell = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(cell, seed: 1);
        var optimizer = Create(kind);
        Train(cell, optimizer, updates: 3, seed: 10);
        Checkpoint.Save(cell, directory.File("model.safetensors"));
        OptimizerCheckpoint.Save(optimizer, cell, directory.File("optimizer.safetensors"));
        Train(cell, optimizer, updates: 2, seed: 20);

        var resumedCell = new TorchLstmSmallF32();
        var resumedOptimizer = Create(kind); // not prepared: loading prepares it
        Checkpoint.Load(resumedCell, directory.File("model.safetensors"));
        OptimizerCheckpoint.Load(resumedOptimizer, resumedCell, directory.File("optimizer.safetensors"));
        Assert.Equal(3, resumedOptimizer.StepCount);
        Train(resumedCell, resumedOptimizer, updates: 2, seed: 20);

        Assert.True(CheckpointAssert.BitIdentical<float>(cell.Parameters, resumedCell.Parameters));
        Assert.Equal(optimizer.StepCount, resumedOptimizer.StepCount);
        foreach (var (original, resumed) in optimizer.StateBuffers.Zip(resumedOptimizer.StateBuffers))
        {
            Assert.Equal(original.Name, resumed.Name);
            Assert.True(CheckpointAssert.BitIdentical<float>(original.Values.Span, resumed.Values.Span));
        }
    }

    [Fact]
    public void The_file_names_each_buffer_after_its_parameter_and_records_type_step_and_hyperparameters()
    {
        var cell = new TorchLstmSmallF32();
        var adam = new Adam<float>(learningRate: 0.01, beta1: 0.8, weightDecay: 0.1);
        Train(cell, adam, updates: 2, seed: 1);
        using var stream = new MemoryStream();
        OptimizerCheckpoint.Save(adam, cell, stream);
        var file = SafeTensorsFile.Parse(stream.ToArray());

        string[] parameters = { "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias" };
        Assert.Equal(parameters.Select(p => p + ".exp_avg").Concat(parameters.Select(p => p + ".exp_avg_sq")), file.Tensors.Select(t => t.Name));
        Assert.Equal(new long[] { 20, 3 }, file.GetTensor("rnn.weight_ih_l0.exp_avg").Shape);
        Assert.Equal("Adam", file.Metadata[OptimizerCheckpoint.OptimizerKey]);
        Assert.Equal("2", file.Metadata[OptimizerCheckpoint.StepKey]);
        Assert.Equal("0.01", file.Metadata["lr"]);
        Assert.Equal("0.8,0.999", file.Metadata["betas"]);
        Assert.Equal("0.1", file.Metadata["weight_decay"]);
    }

    [Fact]
    public void A_stateless_optimizer_saves_only_its_step_count()
    {
        var cell = new TorchLstmSmallF32();
        var sgd = new Sgd<float>(learningRate: 0.1);
        Train(cell, sgd, updates: 4, seed: 2);
        using var stream = new MemoryStream();
        OptimizerCheckpoint.Save(sgd, cell, stream);
        var file = SafeTensorsFile.Parse(stream.ToArray());
        Assert.Empty(file.Tensors);

        var restored = new Sgd<float>(learningRate: 0.1);
        OptimizerCheckpoint.Load(restored, cell, file);
        Assert.Equal(4, restored.StepCount);
    }

    [Fact]
    public void Another_optimizers_state_is_rejected_and_changes_nothing()
    {
        var cell = new TorchLstmSmallF32();
        var adam = new Adam<float>();
        Train(cell, adam, updates: 1, seed: 3);
        using var stream = new MemoryStream();
        OptimizerCheckpoint.Save(adam, cell, stream);

        var rmsProp = new RmsProp<float>();
        Train(cell, rmsProp, updates: 2, seed: 4);
        var before = rmsProp.StateBuffers[0].Values.ToArray();
        var exception = Assert.Throws<CheckpointException>(() => OptimizerCheckpoint.Load(rmsProp, cell, SafeTensorsFile.Parse(stream.ToArray(), "adam.safetensors")));
        CheckpointAssert.MessageSays(exception, "adam.safetensors: the metadata 'unrolledrnn.optimizer' is 'Adam'; expected 'RmsProp'");
        Assert.Equal(2, rmsProp.StepCount);
        Assert.True(CheckpointAssert.BitIdentical<float>(before, rmsProp.StateBuffers[0].Values.Span));
    }

    [Fact]
    public void A_missing_buffer_tensor_or_a_bad_step_count_is_rejected_and_changes_nothing()
    {
        var cell = new TorchLstmSmallF32();
        var adam = new Adam<float>();
        Train(cell, adam, updates: 2, seed: 5);
        var before = adam.StateBuffers.Select(b => b.Values.ToArray()).ToArray();

        // A file whose exp_avg_sq of head.bias is missing.
        var raw = new RawSafeTensors();
        var file = Saved(adam, cell);
        foreach (var tensor in file.Tensors.Where(t => t.Name != "head.bias.exp_avg_sq"))
        {
            raw.Add(tensor.Name, tensor.DType.ToString(), tensor.Shape.ToArray(), file.GetBytes(tensor).ToArray());
        }

        var incomplete = raw.Build();
        var missingMetadata = Assert.Throws<CheckpointException>(() => OptimizerCheckpoint.Load(adam, cell, SafeTensorsFile.Parse(incomplete)));
        CheckpointAssert.MessageSays(missingMetadata, "the metadata 'unrolledrnn.optimizer' is missing; expected 'Adam'");

        // The same with the metadata restored: now the tensor is what is missing.
        var json = System.Text.Encoding.UTF8.GetString(incomplete, 8, (int)BitConverter.ToUInt64(incomplete, 0));
        var withMetadata = RawSafeTensors.Assemble(
            json.Insert(1, "\"__metadata__\":{\"unrolledrnn.optimizer\":\"Adam\",\"unrolledrnn.step\":\"2\"},"), incomplete.AsSpan(8 + json.Length).ToArray());
        var missing = Assert.Throws<CheckpointException>(() => OptimizerCheckpoint.Load(adam, cell, SafeTensorsFile.Parse(withMetadata)));
        Assert.Equal("head.bias.exp_avg_sq", missing.TensorName);
        CheckpointAssert.MessageSays(missing, "missing tensor 'head.bias.exp_avg_sq' (Adam exp_avg_sq of cell parameter b_out, expected F32 [2])");

        var badStep = Assert.Throws<CheckpointException>(() => OptimizerCheckpoint.Load(adam, cell, SafeTensorsFile.Parse(
            RawSafeTensors.Assemble(json.Insert(1, "\"__metadata__\":{\"unrolledrnn.optimizer\":\"Adam\",\"unrolledrnn.step\":\"-1\"},"), incomplete.AsSpan(8 + json.Length).ToArray()))));
        CheckpointAssert.MessageSays(badStep, "the metadata 'unrolledrnn.step' is '-1'; expected the update count");

        Assert.Equal(2, adam.StepCount);
        for (int b = 0; b < before.Length; b++)
        {
            Assert.True(CheckpointAssert.BitIdentical<float>(before[b], adam.StateBuffers[b].Values.Span));
        }
    }

    [Fact]
    public void An_optimizer_serving_another_parameter_count_is_refused()
    {
        var adam = new Adam<float>();
        adam.Prepare(10);
        Assert.Throws<ArgumentException>(() => OptimizerCheckpoint.Save(adam, new TorchLstmSmallF32(), new MemoryStream()));
    }

    [Fact]
    public void Another_cell_types_state_is_rejected_naming_both_types_unless_allowed()
    {
        var relu = new TorchRnnReluSmallF32(); // the same tensors as the tanh RNN
        var tanh = new TorchRnnTanhSmallF32();
        var bytes = SavedBytes(Filled(relu, seed: 1, steps: 3), relu);
        var target = Filled(tanh, seed: 2, steps: 5);
        var before = Snapshot(target);

        var exception = Assert.Throws<CheckpointException>(() => OptimizerCheckpoint.Load(target, tanh, SafeTensorsFile.Parse(bytes, "adam.safetensors")));
        CheckpointAssert.MessageSays(exception,
            $"adam.safetensors: the metadata 'unrolledrnn.cell' records the cell type '{typeof(TorchRnnReluSmallF32).FullName}'; " +
            $"expected '{typeof(TorchRnnTanhSmallF32).FullName}', the cell being loaded", "AllowOtherCellType");
        AssertState(before, 5, target);

        OptimizerCheckpoint.Load(target, tanh, SafeTensorsFile.Parse(bytes), options: new CheckpointLoadOptions { AllowOtherCellType = true });
        Assert.Equal(3, target.StepCount);
        AssertState(Snapshot(Filled(relu, seed: 1, steps: 3)), 3, target);
    }

    [Fact]
    public void A_non_finite_moment_in_the_last_tensor_is_rejected_naming_it_unless_allowed()
    {
        var cell = new TorchLstmSmallF32();
        var saved = Filled(cell, seed: 1, steps: 3);
        var bOut = cell.ParameterTensors.Single(t => t.Name == "b_out");
        saved.StateBuffers[1].Values.Span[bOut.Offset + 1] = float.PositiveInfinity;
        var bytes = SavedBytes(saved, cell);
        var target = Filled(cell, seed: 2, steps: 5);
        var before = Snapshot(target);

        var exception = Assert.Throws<CheckpointException>(() => OptimizerCheckpoint.Load(target, cell, SafeTensorsFile.Parse(bytes, "adam.safetensors")));
        Assert.Equal("head.bias.exp_avg_sq", exception.TensorName);
        CheckpointAssert.MessageSays(exception,
            "adam.safetensors: tensor 'head.bias.exp_avg_sq' (Adam exp_avg_sq of cell parameter b_out): element 1 is +infinity; expected finite values",
            "AllowNonFiniteValues");
        AssertState(before, 5, target);

        OptimizerCheckpoint.Load(target, cell, SafeTensorsFile.Parse(bytes), options: new CheckpointLoadOptions { AllowNonFiniteValues = true });
        AssertState(Snapshot(saved), 3, target);
    }

    [Fact]
    public void Errors_on_the_path_name_the_path_given()
    {
        using var directory = new TemporaryDirectory();
        var cell = new TorchLstmSmallF32();
        var adam = Filled(cell, seed: 1, steps: 1);

        var load = Assert.Throws<IOException>(() => OptimizerCheckpoint.Load(adam, cell, directory.Path));
        Assert.Equal($"Cannot load '{directory.Path}': it is a directory, not a checkpoint file.", load.Message);

        string path = Path.Combine(directory.File("runs"), "adam.safetensors");
        var save = Assert.Throws<DirectoryNotFoundException>(() => OptimizerCheckpoint.Save(adam, cell, path));
        Assert.Equal($"Cannot save to '{path}': the folder '{directory.File("runs")}' does not exist.", save.Message);
        Assert.NotNull(save.InnerException);
    }

    /// <summary>An Adam prepared for <paramref name="cell"/>, its buffers holding values from <paramref name="seed"/> and its step count set.</summary>
    private static Adam<float> Filled(IUnrolledCell<float> cell, int seed, long steps)
    {
        var adam = new Adam<float>();
        adam.Prepare(cell.ParameterCount);
        var random = new Random(seed);
        foreach (var buffer in adam.StateBuffers)
        {
            var values = buffer.Values.Span;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)random.NextDouble();
            }
        }

        adam.RestoreStepCount(steps);
        return adam;
    }

    private static float[][] Snapshot(Optimizer<float> optimizer) => optimizer.StateBuffers.Select(b => b.Values.ToArray()).ToArray();

    /// <summary>The optimizer's buffers are bit-identical to <paramref name="buffers"/> and its step count is <paramref name="steps"/>.</summary>
    private static void AssertState(float[][] buffers, long steps, Optimizer<float> optimizer)
    {
        Assert.Equal(steps, optimizer.StepCount);
        Assert.Equal(buffers.Length, optimizer.StateBuffers.Count);
        for (int b = 0; b < buffers.Length; b++)
        {
            Assert.True(CheckpointAssert.BitIdentical<float>(buffers[b], optimizer.StateBuffers[b].Values.Span));
        }
    }

    private static byte[] SavedBytes(Optimizer<float> optimizer, IUnrolledCell<float> cell)
    {
        using var stream = new MemoryStream();
        OptimizerCheckpoint.Save(optimizer, cell, stream);
        return stream.ToArray();
    }

    private static SafeTensorsFile Saved(Optimizer<float> optimizer, TorchLstmSmallF32 cell) => SafeTensorsFile.Parse(SavedBytes(optimizer, cell));
}
