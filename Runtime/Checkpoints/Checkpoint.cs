using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Saves and loads a cell's parameters as a safetensors checkpoint, one tensor per parameter: named by a
/// <see cref="CheckpointNames"/> map (PyTorch's names by default: <c>rnn.weight_ih_l0</c>, <c>head.weight</c>,
/// ...), shaped [rows, columns] for a matrix and [rows] for a vector, row-major, in the cell's element type
/// (F32 or F64). A saved file loads into PyTorch with <c>load_state_dict</c> when the cell is an
/// <c>nn.RNN</c>/<c>nn.LSTM</c>/<c>nn.GRU</c> with an <c>nn.Linear</c> head written as in docs/equations.md.
/// </summary>
public static partial class Checkpoint
{
    /// <summary>
    /// The metadata key under which <see cref="Save{T}(IUnrolledCell{T}, string, CheckpointNames?, IReadOnlyDictionary{string, string}?)"/>
    /// (and <see cref="OptimizerCheckpoint"/>) records the cell's full type name; a load into a cell of another
    /// type is rejected unless <see cref="CheckpointLoadOptions.AllowOtherCellType"/> is set.
    /// </summary>
    public const string CellTypeKey = "unrolledrnn.cell";

    /// <summary>
    /// The prefix of the metadata keys the library writes (<see cref="CellTypeKey"/>, the tensors' checksums, the
    /// optimizer's records): a caller's metadata may not use it, nor "format", so that it cannot overwrite them.
    /// </summary>
    public const string ReservedKeyPrefix = "unrolledrnn.";

    /// <summary>
    /// Saves the cell's parameters to <paramref name="path"/>, atomically: the file is written beside the target
    /// and renamed over it, so a failure or a crash mid-save leaves any previous checkpoint intact.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> (saved as F32) or <see cref="double"/> (F64).</typeparam>
    /// <param name="cell">The cell.</param>
    /// <param name="path">The checkpoint's path (conventionally *.safetensors); its directory must exist.</param>
    /// <param name="names">The tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="metadata">Extra strings for the header's "__metadata__", or null; not "format" nor a key starting with
    /// <see cref="ReservedKeyPrefix"/>, which the library writes itself.</param>
    /// <exception cref="ArgumentException">Two parameters map to the same checkpoint name, or a metadata key is reserved.</exception>
    /// <exception cref="IOException">The file cannot be written: its folder does not exist, the path is a directory, ...
    /// (the message names <paramref name="path"/> and what is wrong with it).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Save<T>(IUnrolledCell<T> cell, string path, CheckpointNames? names = null, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(cell, names, metadata).Save(path);

    /// <summary>Writes the cell's parameters to <paramref name="stream"/> as a safetensors file (not atomic: see the path overload).</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="cell">The cell.</param>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="names">The tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="metadata">Extra strings for the header's "__metadata__", or null; as for a path, no reserved key.</param>
    public static void Save<T>(IUnrolledCell<T> cell, Stream stream, CheckpointNames? names = null, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CreateWriter(cell, names, metadata).WriteTo(stream);

    /// <summary>
    /// Adds the cell's parameters to <paramref name="writer"/>, named by <paramref name="names"/>, so that other
    /// tensors can share the file (load it with <see cref="CheckpointLoadOptions.AllowUnexpectedTensors"/>).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="writer">The file being built.</param>
    /// <param name="cell">The cell.</param>
    /// <param name="names">The tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    public static void AddParameters<T>(SafeTensorsWriter writer, IUnrolledCell<T> cell, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(cell);
        var tensors = cell.ParameterTensors;
        TensorLayout.AddSlices<T>(writer, cell.Parameters, tensors, (names ?? CheckpointNames.PyTorch).ToCheckpointNames(tensors));
    }

    /// <summary>
    /// Loads the cell's parameters from the checkpoint at <paramref name="path"/>. Everything is validated first
    /// (the file's structure, the cell type it records, then every tensor's presence, shape, dtype and values,
    /// which must be finite); on any mismatch a <see cref="CheckpointException"/> names the tensor and what was
    /// expected, and the cell's parameters are left untouched. The carried state and the gradients are never touched.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="cell">The cell to load into.</param>
    /// <param name="path">The checkpoint.</param>
    /// <param name="names">The tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> (exact match) when null.</param>
    /// <exception cref="CheckpointException">The file is malformed or does not match the cell.</exception>
    /// <exception cref="IOException">The file cannot be read: it does not exist, it is a directory, ... (the
    /// message names <paramref name="path"/> and what is wrong with it).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Load<T>(IUnrolledCell<T> cell, string path, CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Load(cell, SafeTensorsFile.Read(path), names, options);

    /// <summary>Loads the cell's parameters from an already read file, as <see cref="Load{T}(IUnrolledCell{T}, string, CheckpointNames?, CheckpointLoadOptions?)"/> does.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="cell">The cell to load into.</param>
    /// <param name="file">The validated file.</param>
    /// <param name="names">The tensor names; <see cref="CheckpointNames.PyTorch"/> when null.</param>
    /// <param name="options">Strictness; <see cref="CheckpointLoadOptions.Default"/> (exact match) when null.</param>
    /// <exception cref="CheckpointException">The file does not match the cell.</exception>
    public static void Load<T>(IUnrolledCell<T> cell, SafeTensorsFile file, CheckpointNames? names = null, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(file);
        options ??= CheckpointLoadOptions.Default;
        var tensors = cell.ParameterTensors;
        var checkpointNames = (names ?? CheckpointNames.PyTorch).ToCheckpointNames(tensors);
        CellTypeRecord.Check(file, cell, options);
        var staging = TensorLayout.Decode<T>(file, tensors, checkpointNames, cell.ParameterCount,
            options, i => $"cell parameter {tensors[i].Name}");
        staging.CopyTo(cell.Parameters);
    }

    private static SafeTensorsWriter CreateWriter<T>(IUnrolledCell<T> cell, CheckpointNames? names, IReadOnlyDictionary<string, string>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "pt";
        CellTypeRecord.Write(writer, cell);
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                RequireUnreserved(key);
                writer.Metadata[key] = value;
            }
        }

        AddParameters(writer, cell, names);
        return writer;
    }

    private static void RequireUnreserved(string key)
    {
        if (key == "format" || key.StartsWith(ReservedKeyPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The metadata key '{key}' is reserved: the library writes 'format' and the keys starting with '{ReservedKeyPrefix}' " +
                "(the cell type, the tensors' checksums). Choose another key.", "metadata");
        }
    }
}
