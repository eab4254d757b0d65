using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using UnrolledRnn.Training;

namespace UnrolledRnn.Checkpoints;

// A learned initial state s0 has an optimizer of its own (a trainer's InitialStateOptimizer: the parameters'
// optimizer cloned without state). Its state is saved in the same file as the parameters' optimizer state, as one
// [StateSize] tensor per buffer ("initial_state.exp_avg", ...) and its own update count, so that training with s0
// resumes exactly where it stopped.
public static partial class OptimizerCheckpoint
{
    /// <summary>The metadata key of the learned initial state's optimizer's update count.</summary>
    public const string InitialStateStepKey = "unrolledrnn.initial_state_step";

    /// <summary>The prefix of the learned initial state's optimizer buffers in the file: "initial_state." + buffer name.</summary>
    internal const string InitialStateBufferPrefix = Checkpoint.InitialStateName + ".";

    /// <summary>
    /// Saves the optimizer state of the parameters and of the learned initial state s0 to <paramref name="path"/>,
    /// atomically, as <see cref="Save{T}(Optimizer{T}, IUnrolledCell{T}, string, CheckpointNames?)"/> does, with s0's
    /// buffers as tensors "initial_state.{buffer}" shaped [StateSize] and its update count under
    /// <see cref="InitialStateStepKey"/>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The parameters' optimizer (a trainer's <c>Optimizer</c>).</param>
    /// <param name="cell">The cell whose parameters the optimizer updates: it gives the tensor layout.</param>
    /// <param name="initialStateOptimizer">s0's optimizer (a trainer's <c>InitialStateOptimizer</c>): the same type as
    /// <paramref name="optimizer"/>, serving StateSize values.</param>
    /// <param name="path">The file's path; its directory must exist.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <exception cref="ArgumentException">An optimizer serves a vector of another length, or s0's optimizer is of
    /// another type than the parameters'.</exception>
    /// <exception cref="IOException">The file cannot be written (the message names <paramref name="path"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Save<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, Optimizer<T> initialStateOptimizer, string path, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(optimizer, RequireInitialStateOptimizer(initialStateOptimizer), cell, names).Save(path);

    /// <summary>Writes the optimizer state of the parameters and of s0 to <paramref name="stream"/> (not atomic).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The parameters' optimizer.</param>
    /// <param name="cell">The cell whose parameters the optimizer updates.</param>
    /// <param name="initialStateOptimizer">s0's optimizer: the same type, serving StateSize values.</param>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <exception cref="ArgumentException">An optimizer serves a vector of another length, or the types differ.</exception>
    public static void Save<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, Optimizer<T> initialStateOptimizer, Stream stream, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(optimizer, RequireInitialStateOptimizer(initialStateOptimizer), cell, names).WriteTo(stream);

    /// <summary>
    /// Loads the optimizer state of the parameters and of the learned initial state s0 from <paramref name="path"/>:
    /// everything is validated first (as the overload without s0 does, and s0's buffers, shaped [StateSize], and its
    /// update count), then both optimizers are restored, or neither changes.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The parameters' optimizer to restore.</param>
    /// <param name="cell">The cell whose parameters the optimizer updates.</param>
    /// <param name="initialStateOptimizer">s0's optimizer to restore (a trainer's <c>InitialStateOptimizer</c>).</param>
    /// <param name="path">The file.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An optimizer serves a vector of another length, or the types differ.</exception>
    /// <exception cref="CheckpointException">The file is malformed or does not match: a file saved without s0's state
    /// is named as such (its missing tensors or update count).</exception>
    /// <exception cref="IOException">The file cannot be read (the message names <paramref name="path"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Load<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, Optimizer<T> initialStateOptimizer, string path,
        CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        LoadCore(optimizer, RequireInitialStateOptimizer(initialStateOptimizer), cell, SafeTensorsFile.Read(path), names, options);

    /// <summary>Loads the optimizer state of the parameters and of s0 from an already read file, as the path overload does.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="optimizer">The parameters' optimizer to restore.</param>
    /// <param name="cell">The cell whose parameters the optimizer updates.</param>
    /// <param name="initialStateOptimizer">s0's optimizer to restore.</param>
    /// <param name="file">The validated file.</param>
    /// <param name="names">The parameters' checkpoint names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An optimizer serves a vector of another length, or the types differ.</exception>
    /// <exception cref="CheckpointException">The file does not match.</exception>
    public static void Load<T>(Optimizer<T> optimizer, IUnrolledCell<T> cell, Optimizer<T> initialStateOptimizer, SafeTensorsFile file,
        CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        LoadCore(optimizer, RequireInitialStateOptimizer(initialStateOptimizer), cell, file, names, options);

    private static Optimizer<T> RequireInitialStateOptimizer<T>(Optimizer<T> initialStateOptimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(initialStateOptimizer);
        return initialStateOptimizer;
    }

    /// <summary>Prepares s0's optimizer for StateSize values, after checking that it is of the parameters' optimizer's type.</summary>
    private static IReadOnlyList<OptimizerStateBuffer<T>> PrepareForInitialState<T>(Optimizer<T> initialStateOptimizer, Optimizer<T> optimizer,
        IUnrolledCell<T> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (KindOf(initialStateOptimizer) != KindOf(optimizer))
        {
            throw new ArgumentException(
                $"The learned initial state's optimizer is {KindOf(initialStateOptimizer)}; expected {KindOf(optimizer)}, the parameters' optimizer's type (a trainer's InitialStateOptimizer).",
                nameof(initialStateOptimizer));
        }

        if (initialStateOptimizer.ParameterCount != 0 && initialStateOptimizer.ParameterCount != cell.StateSize)
        {
            throw new ArgumentException(
                $"The learned initial state's optimizer serves {initialStateOptimizer.ParameterCount} values; expected StateSize, the cell's {cell.StateSize}.",
                nameof(initialStateOptimizer));
        }

        initialStateOptimizer.Prepare(cell.StateSize);
        return initialStateOptimizer.StateBuffers;
    }
}
