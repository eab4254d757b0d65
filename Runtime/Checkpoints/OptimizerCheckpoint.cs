using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using UnrolledRnn.Training;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Saves and loads an optimizer's state (its <see cref="Optimizer{T}.StateBuffers"/> and
/// <see cref="Optimizer{T}.StepCount"/>) as a safetensors file of its own, beside the parameter checkpoint.
/// Each buffer is split per parameter tensor of the cell and named "{parameter's checkpoint name}.{buffer}",
/// e.g. <c>rnn.weight_ih_l0.exp_avg</c>, shaped like the parameter. The metadata records the optimizer's type
/// (<see cref="OptimizerKey"/>), its update count (<see cref="StepKey"/>), the cell's type
/// (<see cref="Checkpoint.CellTypeKey"/>) and, for information, its hyperparameters under PyTorch's names (lr,
/// betas, eps, weight_decay, momentum, ...).
/// </summary>
/// <remarks>
/// Loading requires the same optimizer type, the same cell type (when the file records one), every buffer
/// tensor and finite values, validates everything before changing anything, and restores the buffers and the
/// step count; the hyperparameters of the optimizer being loaded into are kept (they are constructor
/// arguments, and a learning-rate schedule sets its own rate).
/// </remarks>
public static partial class OptimizerCheckpoint
{
    /// <summary>The metadata key of the optimizer's type name ("Adam", "AdamW", "Sgd", "RmsProp", ...).</summary>
    public const string OptimizerKey = "unrolledrnn.optimizer";

    /// <summary>The metadata key of the optimizer's update count, <see cref="Optimizer{T}.StepCount"/>.</summary>
    public const string StepKey = "unrolledrnn.step";

    /// <summary>Saves the optimizer's state to <paramref name="path"/>, atomically (see <see cref="Checkpoint"/>).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The optimizer; prepared for the cell's parameters if it is not yet.</param>
    /// <param name="cell">The cell whose parameters the optimizer updates: it gives the tensor layout.</param>
    /// <param name="path">The file's path; its directory must exist.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <exception cref="ArgumentException">The optimizer serves a parameter vector of another length.</exception>
    /// <exception cref="IOException">The file cannot be written: its folder does not exist, the path is a directory, ...
    /// (the message names <paramref name="path"/> and what is wrong with it).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Save<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, string path, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(optimizer, null, cell, names).Save(path);

    /// <summary>Writes the optimizer's state to <paramref name="stream"/> (not atomic: see the path overload).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The optimizer; prepared for the cell's parameters if it is not yet.</param>
    /// <param name="cell">The cell whose parameters the optimizer updates.</param>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    public static void Save<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, Stream stream, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(optimizer, null, cell, names).WriteTo(stream);

    /// <summary>
    /// Loads the optimizer's state from <paramref name="path"/>. Any mismatch (another optimizer type, another
    /// cell type, a missing, unexpected or mis-shaped buffer tensor, NaN or an infinity in a buffer, a bad step
    /// count) throws a <see cref="CheckpointException"/> and leaves the optimizer's state as it was.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The optimizer to restore; prepared for the cell's parameters if it is not yet.</param>
    /// <param name="cell">The cell whose parameters the optimizer updates.</param>
    /// <param name="path">The file.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> when null.</param>
    /// <exception cref="CheckpointException">The file is malformed or does not match the optimizer.</exception>
    /// <exception cref="IOException">The file cannot be read: it does not exist, it is a directory, ... (the
    /// message names <paramref name="path"/> and what is wrong with it).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Load<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, string path, CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Load(optimizer, cell, SafeTensorsFile.Read(path), names, options);

    /// <summary>Loads the optimizer's state from an already read file, as the path overload does.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The optimizer to restore.</param>
    /// <param name="cell">The cell whose parameters the optimizer updates.</param>
    /// <param name="file">The validated file.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> when null.</param>
    /// <exception cref="CheckpointException">The file does not match the optimizer.</exception>
    public static void Load<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, SafeTensorsFile file, CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        LoadCore(optimizer, null, cell, file, names, options);

    /// <summary>
    /// Validates everything in <paramref name="file"/> first (types, step counts, every buffer tensor of the parameters'
    /// optimizer and, when <paramref name="initialStateOptimizer"/> is given, of s0's), then restores the buffers and
    /// step counts of both, or changes nothing.
    /// </summary>
    private static void LoadCore<T>(Optimizer<T> optimizer, Optimizer<T>? initialStateOptimizer, IUnrolledCell<T> cell, SafeTensorsFile file,
        CheckpointNames? names, CheckpointLoadOptions? options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= CheckpointLoadOptions.Default;
        var buffers = PrepareFor(optimizer, cell);
        var initialStateBuffers = initialStateOptimizer is null ? null : PrepareForInitialState(initialStateOptimizer, optimizer, cell);
        string kind = KindOf(optimizer);
        if (!file.Metadata.TryGetValue(OptimizerKey, out var savedKind) || savedKind != kind)
        {
            throw new CheckpointException(
                $"{file.Source}: the metadata '{OptimizerKey}' is {(savedKind is null ? "missing" : $"'{savedKind}'")}; expected '{kind}', the optimizer being loaded.");
        }

        long stepCount = ReadStepCount(file, StepKey, "the update count, a non-negative integer");
        long initialStateStepCount = initialStateOptimizer is null ? 0 : ReadStepCount(file, InitialStateStepKey,
            "the update count of the learned initial state's optimizer, a non-negative integer (a file saved without it has none)");
        CellTypeRecord.Check(file, cell, options);
        var layout = Layout(kind, buffers, initialStateBuffers, cell, names);
        var staging = TensorLayout.Decode<T>(file, layout.Tensors, layout.Names, layout.Length, options, i => layout.Descriptions[i]);

        int count = cell.ParameterCount;
        for (int b = 0; b < buffers.Count; b++)
        {
            staging.AsSpan(b * count, count).CopyTo(buffers[b].Values.Span);
        }

        optimizer.RestoreStepCount(stepCount);
        if (initialStateOptimizer is not null)
        {
            int start = buffers.Count * count;
            for (int b = 0; b < initialStateBuffers!.Count; b++)
            {
                staging.AsSpan(start + b * cell.StateSize, cell.StateSize).CopyTo(initialStateBuffers[b].Values.Span);
            }

            initialStateOptimizer.RestoreStepCount(initialStateStepCount);
        }
    }

    /// <summary>The non-negative integer of the metadata <paramref name="key"/>; throws naming what was expected.</summary>
    private static long ReadStepCount(SafeTensorsFile file, string key, string expected)
    {
        if (!file.Metadata.TryGetValue(key, out var text)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long stepCount))
        {
            throw new CheckpointException(
                $"{file.Source}: the metadata '{key}' is {(text is null ? "missing" : $"'{text}'")}; expected {expected}.");
        }

        return stepCount;
    }

    /// <summary>The file of the parameters' optimizer state and, when <paramref name="initialStateOptimizer"/> is given, s0's.</summary>
    private static SafeTensorsWriter CreateWriter<T>(Optimizer<T> optimizer, Optimizer<T>? initialStateOptimizer, IUnrolledCell<T> cell, CheckpointNames? names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buffers = PrepareFor(optimizer, cell);
        var initialStateBuffers = initialStateOptimizer is null ? null : PrepareForInitialState(initialStateOptimizer, optimizer, cell);
        var writer = new SafeTensorsWriter();
        string kind = KindOf(optimizer);
        writer.Metadata[OptimizerKey] = kind;
        writer.Metadata[StepKey] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
        if (initialStateOptimizer is not null)
        {
            writer.Metadata[InitialStateStepKey] = initialStateOptimizer.StepCount.ToString(CultureInfo.InvariantCulture);
        }

        CellTypeRecord.Write(writer, cell);
        foreach (var (key, value) in Hyperparameters(optimizer))
        {
            writer.Metadata[key] = value;
        }

        // Every buffer side by side, as Load stages them, so that one layout serves both directions.
        var layout = Layout(kind, buffers, initialStateBuffers, cell, names);
        var all = new T[layout.Length];
        int at = 0;
        foreach (var buffer in initialStateBuffers is null ? buffers : buffers.Concat(initialStateBuffers))
        {
            buffer.Values.Span.CopyTo(all.AsSpan(at));
            at += buffer.Values.Length;
        }

        TensorLayout.AddSlices<T>(writer, all, layout.Tensors, layout.Names);
        return writer;
    }

    /// <summary>Prepares the optimizer for the cell's parameters and returns its state buffers.</summary>
    private static IReadOnlyList<OptimizerStateBuffer<T>> PrepareFor<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(cell);
        if (optimizer.ParameterCount != 0 && optimizer.ParameterCount != cell.ParameterCount)
        {
            throw new ArgumentException(
                $"The optimizer serves {optimizer.ParameterCount} parameters, but the cell has {cell.ParameterCount}.", nameof(optimizer));
        }

        optimizer.Prepare(cell.ParameterCount);
        return optimizer.StateBuffers;
    }

    /// <summary>
    /// The tensors of an optimizer file: the cell's tensors once per buffer of the parameters' optimizer (buffer b at
    /// offset b × ParameterCount, named "{parameter}.{buffer}"), then, with a learned initial state's optimizer, one
    /// [StateSize] tensor per buffer of it, named "initial_state.{buffer}"; with their names, what each is (for
    /// messages) and the length of all of them side by side.
    /// </summary>
    private static (List<ParameterTensor> Tensors, List<string> Names, List<string> Descriptions, int Length) Layout<T>(string kind,
        IReadOnlyList<OptimizerStateBuffer<T>> buffers, IReadOnlyList<OptimizerStateBuffer<T>>? initialStateBuffers, IUnrolledCell<T> cell,
        CheckpointNames? names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cellTensors = cell.ParameterTensors;
        var parameterNames = (names ?? CheckpointNames.PyTorch).ToCheckpointNames(cellTensors);
        var tensors = new List<ParameterTensor>();
        var checkpointNames = new List<string>();
        var descriptions = new List<string>();
        int length = 0;
        foreach (var buffer in buffers)
        {
            for (int i = 0; i < cellTensors.Count; i++)
            {
                tensors.Add(cellTensors[i] with { Offset = length + cellTensors[i].Offset });
                checkpointNames.Add(parameterNames[i] + "." + buffer.Name);
                descriptions.Add($"{kind} {buffer.Name} of cell parameter {cellTensors[i].Name}");
            }

            length += cell.ParameterCount;
        }

        foreach (var buffer in initialStateBuffers ?? Array.Empty<OptimizerStateBuffer<T>>())
        {
            tensors.Add(new ParameterTensor("initial state", length, cell.StateSize, 1, ParameterRole.Vector));
            checkpointNames.Add(InitialStateBufferPrefix + buffer.Name);
            descriptions.Add($"{kind} {buffer.Name} of the learned initial state s0");
            length += cell.StateSize;
        }

        return (tensors, checkpointNames, descriptions, length);
    }

    /// <summary>The optimizer's type name without its generic arity: "Adam" for Adam&lt;float&gt;.</summary>
    private static string KindOf<T>(Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = optimizer.GetType().Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name.Substring(0, tick);
    }

    /// <summary>The hyperparameters of the optimizers this library defines, under the keys of PyTorch's param_groups.</summary>
    private static IEnumerable<(string Key, string Value)> Hyperparameters<T>(Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        yield return ("lr", Format(optimizer.LearningRate));
        switch (optimizer)
        {
            case Sgd<T> sgd:
                yield return ("momentum", Format(sgd.Momentum));
                yield return ("nesterov", sgd.Nesterov ? "true" : "false");
                yield return ("weight_decay", Format(sgd.WeightDecay));
                break;
            case Adam<T> adam:
                yield return ("betas", Format(adam.Beta1) + "," + Format(adam.Beta2));
                yield return ("eps", Format(adam.Epsilon));
                yield return ("weight_decay", Format(adam.WeightDecay));
                break;
            case AdamW<T> adamW:
                yield return ("betas", Format(adamW.Beta1) + "," + Format(adamW.Beta2));
                yield return ("eps", Format(adamW.Epsilon));
                yield return ("weight_decay", Format(adamW.WeightDecay));
                break;
            case RmsProp<T> rmsProp:
                yield return ("alpha", Format(rmsProp.Alpha));
                yield return ("eps", Format(rmsProp.Epsilon));
                yield return ("weight_decay", Format(rmsProp.WeightDecay));
                yield return ("momentum", Format(rmsProp.Momentum));
                break;
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
