using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using Google.Protobuf;
using UnrolledRnn.Checkpoints;

namespace UnrolledRnn.Onnx;

/// <summary>Writes a trained cell as ONNX models (docs/deploy.md).</summary>
public static class OnnxExportExtensions
{
    /// <summary>
    /// Writes the ONNX models selected by <paramref name="models"/> of <paramref name="cell"/>, with its current
    /// parameters, beside <paramref name="path"/>: <c>{stem}.step.onnx</c> and <c>{stem}.sequence.onnx</c>, where
    /// the stem is <paramref name="path"/> without a final ".onnx". Each file is written atomically, like a
    /// checkpoint: a reader sees the old file or the new one, and a failure leaves no temporary file.
    /// </summary>
    /// <typeparam name="T">The cell's element type: the models compute in float or double alike.</typeparam>
    /// <param name="cell">A cell that describes its step graph (<see cref="IOnnxExportable"/>).</param>
    /// <param name="path">Where to write, e.g. "models/lstm.onnx" for "models/lstm.step.onnx" and "models/lstm.sequence.onnx".</param>
    /// <param name="models">Which models to write.</param>
    /// <param name="names">The initializers' names, as in <see cref="Checkpoint.Save{T}(IUnrolledCell{T}, string, CheckpointNames?, IReadOnlyDictionary{string, string}?)"/>; default <see cref="CheckpointNames.PyTorch"/>.</param>
    /// <returns>The paths written, step model first.</returns>
    /// <exception cref="NotSupportedException">The cell does not describe its step graph, or its graph uses an operator the exporter does not write (the message names it).</exception>
    /// <exception cref="ArgumentException"><paramref name="models"/> selects nothing, or the description does not fit the cell (the message names the node or value).</exception>
    /// <exception cref="IOException">A file cannot be written (the message names its path and why).</exception>
    public static IReadOnlyList<string> ExportOnnx<T>(this IUnrolledCell<T> cell, string path, OnnxExport models, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell is not IOnnxExportable exportable)
        {
            throw new NotSupportedException(
                $"The cell {cell.GetType().Name} does not describe its step as an ONNX graph (it does not implement {nameof(IOnnxExportable)}); " +
                "see docs/deploy.md for how to describe it.");
        }

        return Export(cell, exportable.OnnxStepGraph, path, models, names);
    }

    /// <summary>
    /// The lower level of <see cref="ExportOnnx{T}"/>: exports <paramref name="cell"/> with a step graph given
    /// separately. Internal: the description belongs to the cell.
    /// </summary>
    internal static IReadOnlyList<string> Export<T>(IUnrolledCell<T> cell, OnnxStepGraph graph, string path, OnnxExport models, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if ((models & (OnnxExport.Step | OnnxExport.Sequence)) == 0 || (models & ~(OnnxExport.Step | OnnxExport.Sequence)) != 0)
        {
            throw new ArgumentException($"Expected OnnxExport.Step, OnnxExport.Sequence or both; got {models}.", nameof(models));
        }

        names ??= CheckpointNames.PyTorch;
        // Both models are built, and so checked, before either file is touched.
        var written = new List<(string Path, IMessage Model)>();
        if (models.HasFlag(OnnxExport.Step))
        {
            written.Add((PathOf(path, "step"), OnnxModels.Step(cell, graph, names)));
        }

        if (models.HasFlag(OnnxExport.Sequence))
        {
            written.Add((PathOf(path, "sequence"), OnnxModels.Sequence(cell, graph, names)));
        }

        foreach (var (target, model) in written)
        {
            AtomicFile.Write(target, stream => model.WriteTo(stream));
        }

        return written.ConvertAll(w => w.Path);
    }

    /// <summary>"models/lstm.onnx" or "models/lstm" → "models/lstm.step.onnx".</summary>
    private static string PathOf(string path, string model)
    {
        string stem = path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? path[..^".onnx".Length] : path;
        return $"{stem}.{model}.onnx";
    }
}
