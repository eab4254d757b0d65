using System.Numerics;

namespace UnrolledRnn.Batching;

/// <summary>
/// What every generated cell offers for many streams at once: a window forward and backward, and a streaming step,
/// over B streams in lockstep, with the cell's own parameters (only read) and a caller-owned
/// <see cref="BatchWorkspace{T}"/> (everything else). Several threads may run chunks of one batch on one cell at
/// once, each with its own workspace, as long as nothing writes the parameters meanwhile.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// Inside the workspace every value of a step is feature-major, a (length × B) block; a stream's own values are
/// read and written through the workspace's stream-major accessors (docs/design.md, "Many streams at once").
/// </remarks>
public interface IBatchedCell<T> : IUnrolledCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements of one step's record per stream (the frame): the workspace's tape holds one per step.</summary>
    int FrameSize { get; }

    /// <summary>Elements of every vector parameter (bias, gain) together: each is broadcast to the streams.</summary>
    int VectorParameterSize { get; }

    /// <summary>
    /// Runs the k2 steps of a window over <paramref name="batch"/> streams from the workspace's initial states,
    /// recording the tape: the workspace's inputs in, its outputs out, the final states in the last frame.
    /// </summary>
    void ForwardBatch(BatchWorkspace<T> workspace, int batch);

    /// <summary>
    /// Backpropagates through the window the last <see cref="ForwardBatch"/> recorded in <paramref name="workspace"/>,
    /// from its output gradients and final state gradients, and adds the gradient of every parameter, summed over
    /// the streams, to the workspace's <see cref="BatchWorkspace{T}.Gradients"/>. Leaves dL/ds_{-1} per stream.
    /// </summary>
    void BackwardBatch(BatchWorkspace<T> workspace, int batch);

    /// <summary>
    /// One streaming step of <paramref name="batch"/> streams from the workspace's states, recording nothing:
    /// the inputs of step 0 in, the outputs of step 0 out, the new states carried.
    /// </summary>
    void StepBatch(BatchWorkspace<T> workspace, int batch);
}
