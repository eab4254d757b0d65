using System.Numerics;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// The type of the cell a file was saved from, recorded in its metadata under <see cref="Checkpoint.CellTypeKey"/>
/// (the cell's full type name) and checked on load: tensors of the same names and shapes can mean something else
/// in another cell (a ReLU RNN's weights in a tanh RNN, an LSTM's in a peephole LSTM), so a file recording another
/// type is rejected unless <see cref="CheckpointLoadOptions.AllowOtherCellType"/> is set. A file without the record
/// (one written by PyTorch or any other tool) is not checked.
/// </summary>
internal static class CellTypeRecord
{
    /// <summary>What is recorded for <paramref name="cell"/>: its full type name.</summary>
    public static string Of<T>(IUnrolledCell<T> cell)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        cell.GetType().FullName ?? cell.GetType().Name;

    /// <summary>Records <paramref name="cell"/>'s type in <paramref name="writer"/>'s metadata.</summary>
    public static void Write<T>(SafeTensorsWriter writer, IUnrolledCell<T> cell)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        writer.Metadata[Checkpoint.CellTypeKey] = Of(cell);

    /// <summary>Throws if <paramref name="file"/> records a type other than <paramref name="cell"/>'s, unless allowed.</summary>
    /// <exception cref="CheckpointException">The recorded type is another one.</exception>
    public static void Check<T>(SafeTensorsFile file, IUnrolledCell<T> cell, CheckpointLoadOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.AllowOtherCellType || !file.Metadata.TryGetValue(Checkpoint.CellTypeKey, out var saved))
        {
            return;
        }

        string loading = Of(cell);
        if (saved != loading)
        {
            throw new CheckpointException(
                $"{file.Source}: the metadata '{Checkpoint.CellTypeKey}' records the cell type '{saved}'; expected '{loading}', the cell being loaded " +
                "(tensors of the same names and shapes can mean something else in another cell: set AllowOtherCellType to load it anyway).");
        }
    }
}
