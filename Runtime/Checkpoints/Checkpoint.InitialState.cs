using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace UnrolledRnn.Checkpoints;

// A learned initial state s0 (BatchedTrainerOptions.LearnInitialState, TbpttOptions.LearnInitialState) is part of
// the model: it is saved in the cell's checkpoint as one more tensor, InitialStateName, shaped [StateSize], and
// loaded with the parameters in one transaction.
public static partial class Checkpoint
{
    /// <summary>
    /// The name of the learned initial state's tensor in a checkpoint, shaped [StateSize] in the layout of the cell's
    /// state (all states concatenated in declaration order: h then c for an LSTM). PyTorch's <c>load_state_dict</c>
    /// of the matching modules rejects it as an unexpected key: pop it first and use it as h0 (c0).
    /// </summary>
    public const string InitialStateName = "initial_state";

    /// <summary>
    /// Saves the cell's parameters and its learned initial state s0 to <paramref name="path"/>, atomically, as
    /// <see cref="Save{T}(IUnrolledCell{T}, string, CheckpointNames?, IReadOnlyDictionary{string, string}?)"/> does,
    /// with s0 as the tensor <see cref="InitialStateName"/>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> (saved as F32) or <see cref="double"/> (F64).</typeparam>
    /// <param name="cell">The cell.</param>
    /// <param name="initialState">s0: StateSize elements (a trainer's <c>InitialState</c>).</param>
    /// <param name="path">The checkpoint's path; its directory must exist.</param>
    /// <param name="names">The parameters' tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="metadata">Extra strings for the header, as for the overload without s0.</param>
    /// <exception cref="ArgumentException"><paramref name="initialState"/> does not hold StateSize elements; a
    /// parameter's name is taken (<see cref="InitialStateName"/> included); a metadata key is reserved.</exception>
    /// <exception cref="IOException">The file cannot be written (the message names <paramref name="path"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Save<T>(IUnrolledCell<T> cell, ReadOnlySpan<T> initialState, string path, CheckpointNames? names = null,
        IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(cell, initialState, names, metadata).Save(path);

    /// <summary>Writes the cell's parameters and its learned initial state to <paramref name="stream"/> (not atomic).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="cell">The cell.</param>
    /// <param name="initialState">s0: StateSize elements.</param>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="names">The parameters' tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="metadata">Extra strings for the header, or null.</param>
    /// <exception cref="ArgumentException"><paramref name="initialState"/> does not hold StateSize elements.</exception>
    public static void Save<T>(IUnrolledCell<T> cell, ReadOnlySpan<T> initialState, Stream stream, CheckpointNames? names = null,
        IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(cell, initialState, names, metadata).WriteTo(stream);

    /// <summary>
    /// Loads the cell's parameters and its learned initial state from the checkpoint at <paramref name="path"/>:
    /// everything is validated first (as the overload without s0 does, and the tensor <see cref="InitialStateName"/>
    /// with shape [StateSize] and finite values), then both are written, or neither.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="cell">The cell to load into.</param>
    /// <param name="initialState">Receives s0: StateSize elements. Start each sequence from it with
    /// <see cref="UnrolledCellExtensions.ResetState{T}(IUnrolledCell{T}, ReadOnlySpan{T})"/>, or give it to a trainer's <c>SetInitialState</c>.</param>
    /// <param name="path">The checkpoint.</param>
    /// <param name="names">The parameters' tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> (exact match) when null.</param>
    /// <exception cref="ArgumentException"><paramref name="initialState"/> does not hold StateSize elements.</exception>
    /// <exception cref="CheckpointException">The file is malformed or does not match the cell: a missing
    /// <see cref="InitialStateName"/> is named as such.</exception>
    /// <exception cref="IOException">The file cannot be read (the message names <paramref name="path"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Load<T>(IUnrolledCell<T> cell, Span<T> initialState, string path, CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireInitialStateLength(cell, initialState.Length);
        Load(cell, initialState, SafeTensorsFile.Read(path), names, options);
    }

    /// <summary>Loads the cell's parameters and its learned initial state from an already read file, as the path overload does.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="cell">The cell to load into.</param>
    /// <param name="initialState">Receives s0: StateSize elements.</param>
    /// <param name="file">The validated file.</param>
    /// <param name="names">The parameters' tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="initialState"/> does not hold StateSize elements.</exception>
    /// <exception cref="CheckpointException">The file does not match the cell.</exception>
    public static void Load<T>(IUnrolledCell<T> cell, Span<T> initialState, SafeTensorsFile file, CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireInitialStateLength(cell, initialState.Length);
        ArgumentNullException.ThrowIfNull(file);
        options ??= CheckpointLoadOptions.Default;
        var parameterTensors = cell.ParameterTensors;
        var parameterNames = (names ?? CheckpointNames.PyTorch).ToCheckpointNames(parameterTensors);
        CellTypeRecord.Check(file, cell, options);

        // s0 is laid out as one more vector tensor after the parameters, so that one staging array holds both.
        int count = cell.ParameterCount;
        var tensors = new List<ParameterTensor>(parameterTensors) { new("initial state", count, cell.StateSize, 1, ParameterRole.Vector) };
        var checkpointNames = new List<string>(parameterNames) { InitialStateName };
        var staging = TensorLayout.Decode<T>(file, tensors, checkpointNames, count + cell.StateSize, options,
            i => i < parameterTensors.Count ? $"cell parameter {parameterTensors[i].Name}" : "the learned initial state s0");
        staging.AsSpan(0, count).CopyTo(cell.Parameters);
        staging.AsSpan(count).CopyTo(initialState);
    }

    private static SafeTensorsWriter CreateWriter<T>(IUnrolledCell<T> cell, ReadOnlySpan<T> initialState, CheckpointNames? names,
        IReadOnlyDictionary<string, string>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireInitialStateLength(cell, initialState.Length);
        var writer = CreateWriter(cell, names, metadata);
        writer.Add(InitialStateName, initialState, cell.StateSize);
        return writer;
    }

    private static void RequireInitialStateLength<T>(IUnrolledCell<T> cell, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        SpanGuard.RequireLength(length, cell.StateSize, "initialState", "StateSize, the cell's");
    }
}
