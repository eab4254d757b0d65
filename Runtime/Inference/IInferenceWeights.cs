using System.Numerics;

namespace UnrolledRnn.Inference;

/// <summary>
/// An immutable snapshot of a cell's parameters in the layout of its inference step (weights that feed one sum
/// transposed and stacked, biases added together), shared by any number of streams. It is a copy, like an ONNX export:
/// parameters written after <see cref="IInferenceCell{T}.PrepareInference"/> reach it only through <see cref="Refresh"/>
/// or a new snapshot.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IInferenceWeights<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A new stream over this snapshot, with its own state (zero).</summary>
    IInferenceStream<T> CreateStream();

    /// <summary>
    /// Takes the cell's current parameters into the snapshot. Every stream of the snapshot steps with them from its next
    /// step on; no stream may be stepping meanwhile.
    /// </summary>
    void Refresh();
}
