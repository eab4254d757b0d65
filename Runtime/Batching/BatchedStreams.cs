using System;
using System.Numerics;

namespace UnrolledRnn.Batching;

/// <summary>
/// Streaming inference of many independent streams through one cell (the voices of a synthesiser, a crowd of game
/// agents): each <see cref="Step"/> advances every stream by one step in one batched call, recording nothing, and
/// allocates nothing. Every stream has its own carried state; the cell's parameters are shared and only read, and
/// the cell's own state is not used.
/// </summary>
/// <typeparam name="TCell">The generated cell.</typeparam>
/// <typeparam name="T">The cell's element type.</typeparam>
/// <remarks>Not thread-safe: one instance holds the streams' states.</remarks>
public sealed class BatchedStreams<TCell, T>
    where TCell : class, IBatchedCell<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TCell _cell;
    private readonly BatchWorkspace<T> _workspace;

    /// <summary>Creates <paramref name="streamCount"/> streams, all starting from the zero state.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="cell"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="streamCount"/> is below 1.</exception>
    public BatchedStreams(TCell cell, int streamCount)
    {
        ArgumentNullException.ThrowIfNull(cell);
        _cell = cell;
        _workspace = new BatchWorkspace<T>(cell, streamCount);
        StreamCount = streamCount;
    }

    /// <summary>The number of streams B.</summary>
    public int StreamCount { get; }

    /// <summary>The cell whose parameters the streams run.</summary>
    public TCell Cell => _cell;

    /// <summary>One step of every stream.</summary>
    /// <param name="inputs">x_t of every stream: StreamCount × InputSize elements, stream after stream.</param>
    /// <param name="outputs">Receives y_t of every stream: StreamCount × OutputSize elements, stream after stream.</param>
    /// <remarks>The values are not checked: a NaN in a stream's input makes that stream's state NaN, and no other's.</remarks>
    public void Step(ReadOnlySpan<T> inputs, Span<T> outputs)
    {
        _workspace.SetInputs(0, StreamCount, inputs);
        _cell.StepBatch(_workspace, StreamCount);
        _workspace.GetOutputs(0, StreamCount, outputs);
    }

    /// <summary>Copies the state stream <paramref name="stream"/> carries (StateSize elements, the cell's layout).</summary>
    public void GetState(int stream, Span<T> state) => _workspace.GetState(stream, StreamCount, state);

    /// <summary>Sets the state stream <paramref name="stream"/> carries into its next step.</summary>
    public void SetState(int stream, ReadOnlySpan<T> state) => _workspace.SetState(stream, StreamCount, state);

    /// <summary>Starts a new sequence on stream <paramref name="stream"/>: its state is set to zero.</summary>
    public void ResetStream(int stream) => _workspace.ClearState(stream, StreamCount);
}
