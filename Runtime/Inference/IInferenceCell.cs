using System.Numerics;

namespace UnrolledRnn.Inference;

/// <summary>
/// A cell that prepares its parameters for streaming inference: <see cref="PrepareInference"/> takes a snapshot of them
/// in the layout the inference step reads (docs/deploy.md). The generator implements it explicitly; the cell's own
/// <c>PrepareInference</c> returns the generated snapshot type.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IInferenceCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// A snapshot of the current parameters for streaming: parameters changed afterwards do not reach it (prepare a new
    /// one, or <see cref="IInferenceWeights{T}.Refresh"/> it).
    /// </summary>
    IInferenceWeights<T> PrepareInference();
}
