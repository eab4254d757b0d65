namespace UnrolledRnn.Onnx;

/// <summary>
/// A cell that describes its own step as an ONNX graph, which makes it exportable by
/// <see cref="OnnxExportExtensions.ExportOnnx{T}"/>. The generator is to implement it on every cell from the
/// equations; until it does, a cell's <c>partial</c> class can implement it by hand (docs/deploy.md).
/// </summary>
public interface IOnnxExportable
{
    /// <summary>The cell's one-step graph.</summary>
    OnnxStepGraph OnnxStepGraph { get; }
}
