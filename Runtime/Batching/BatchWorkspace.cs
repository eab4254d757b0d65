using System;
using System.Numerics;

namespace UnrolledRnn.Batching;

/// <summary>
/// Everything a batched window or step of one cell type writes, for up to <see cref="Capacity"/> streams: the tape
/// and the adjoint tape, the inputs, outputs and output gradients, the broadcast vector parameters and a gradient
/// buffer. Allocated once; the cell's batched methods and the accessors here allocate nothing. One workspace per
/// thread: a workspace is not thread-safe, the cell it serves only reads its parameters.
/// </summary>
/// <typeparam name="T">The cell's element type.</typeparam>
/// <remarks>
/// The buffers are feature-major for the current batch size B: element u of a value of stream s at u × B + s, the
/// window's step t at t × (length × B). The accessors below read and write one stream's values in the single-stream
/// layout, so callers need not know it.
/// </remarks>
public sealed class BatchWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Type _cellType;
    private readonly int _truncationLength, _inputSize, _outputSize, _stateSize, _frameSize;
    private readonly AlignedBuffer<T> _tape, _adjointTape, _inputs, _outputs, _outputGradients, _broadcast, _vectorGradients, _gradients;
    private readonly T[] _stateAdjointSquaredNorms;
    private int _recordedBatch;

    /// <summary>Allocates a workspace for <paramref name="capacity"/> streams of cells like <paramref name="cell"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="cell"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public BatchWorkspace(IBatchedCell<T> cell, int capacity)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _cellType = cell.GetType();
        Capacity = capacity;
        _truncationLength = cell.TruncationLength;
        _inputSize = cell.InputSize;
        _outputSize = cell.OutputSize;
        _stateSize = cell.StateSize;
        _frameSize = cell.FrameSize;
        _tape = new AlignedBuffer<T>((_truncationLength + 1) * _frameSize * capacity);
        _adjointTape = new AlignedBuffer<T>((_truncationLength + 1) * _frameSize * capacity);
        _inputs = new AlignedBuffer<T>(_truncationLength * _inputSize * capacity);
        _outputs = new AlignedBuffer<T>(_truncationLength * _outputSize * capacity);
        _outputGradients = new AlignedBuffer<T>(_truncationLength * _outputSize * capacity);
        _broadcast = new AlignedBuffer<T>(Math.Max(cell.VectorParameterSize * capacity, 1));
        _vectorGradients = new AlignedBuffer<T>(Math.Max(cell.VectorParameterSize * capacity, 1));
        _gradients = new AlignedBuffer<T>(cell.ParameterCount);
        _stateAdjointSquaredNorms = new T[_truncationLength];
    }

    /// <summary>The most streams a batch may have in this workspace.</summary>
    public int Capacity { get; }

    /// <summary>The gradient of every parameter, laid out as the cell's Parameters: BackwardBatch adds to it.</summary>
    public Span<T> Gradients => _gradients.Span;

    /// <summary>
    /// k2 values: element k is Σ_s ||dL/ds||² over the streams for the state produced k steps before the end of the
    /// window (k = 0: the final state), left by the last BackwardBatch.
    /// </summary>
    public Span<T> StateAdjointSquaredNorms => _stateAdjointSquaredNorms;

    /// <summary>The tape: s_{-1} of every stream, then one frame per step (feature-major). For the generated cell.</summary>
    public Span<T> Tape => _tape.Span;

    /// <summary>The adjoint tape, laid out as the tape. For the generated cell.</summary>
    public Span<T> AdjointTape => _adjointTape.Span;

    /// <summary>The window's inputs, step after step (feature-major). For the generated cell.</summary>
    public Span<T> Inputs => _inputs.Span;

    /// <summary>The window's outputs, step after step (feature-major). For the generated cell.</summary>
    public Span<T> Outputs => _outputs.Span;

    /// <summary>dL/dy of the window, step after step (feature-major). For the generated cell.</summary>
    public Span<T> OutputGradients => _outputGradients.Span;

    /// <summary>Every vector parameter, broadcast to the streams. For the generated cell.</summary>
    public Span<T> Broadcast => _broadcast.Span;

    /// <summary>Every vector parameter's gradient, per stream, before the sum over the streams. For the generated cell.</summary>
    public Span<T> VectorGradients => _vectorGradients.Span;

    /// <summary>
    /// Checks that this workspace was made for <paramref name="cell"/>'s type and holds <paramref name="batch"/>
    /// streams. Called by the generated cell's batched methods.
    /// </summary>
    /// <exception cref="ArgumentException">The workspace was made for another cell type.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is below 1 or above <see cref="Capacity"/>.</exception>
    public void Require(IBatchedCell<T> cell, int batch)
    {
        if (cell.GetType() != _cellType)
        {
            throw new ArgumentException($"This workspace was made for the cell type {_cellType.Name}, not {cell.GetType().Name}: make one for each cell type.", "workspace");
        }

        RequireBatch(batch);
    }

    /// <summary>Sets the inputs of every stream at step <paramref name="step"/> from <paramref name="inputs"/>: batch × InputSize, stream after stream.</summary>
    public void SetInputs(int step, int batch, ReadOnlySpan<T> inputs)
    {
        RequireStep(step);
        RequireBatch(batch);
        SpanGuard.RequireLength(inputs.Length, batch * _inputSize, nameof(inputs), "batch x InputSize");
        var block = _inputs.Span.Slice(step * _inputSize * batch, _inputSize * batch);
        for (int s = 0; s < batch; s++)
        {
            ScatterStream(inputs.Slice(s * _inputSize, _inputSize), block, s, batch);
        }
    }

    /// <summary>Copies the outputs of every stream at step <paramref name="step"/> into <paramref name="outputs"/>: batch × OutputSize, stream after stream.</summary>
    public void GetOutputs(int step, int batch, Span<T> outputs)
    {
        RequireStep(step);
        RequireBatch(batch);
        SpanGuard.RequireLength(outputs.Length, batch * _outputSize, nameof(outputs), "batch x OutputSize");
        var block = _outputs.Span.Slice(step * _outputSize * batch, _outputSize * batch);
        for (int s = 0; s < batch; s++)
        {
            GatherStream(block, s, batch, outputs.Slice(s * _outputSize, _outputSize));
        }
    }

    /// <summary>
    /// Notes that ForwardBatch has recorded a window of <paramref name="batch"/> streams in this workspace (0: none,
    /// after a streaming step overwrote it). Called by the generated cell.
    /// </summary>
    public void RecordWindow(int batch) => _recordedBatch = batch;

    /// <summary>
    /// <see cref="Require"/>, and that the last ForwardBatch in this workspace recorded a window of
    /// <paramref name="batch"/> streams since the last StepBatch. Called by the generated cell's BackwardBatch.
    /// </summary>
    /// <exception cref="InvalidOperationException">No window of that many streams is recorded.</exception>
    public void RequireWindow(IBatchedCell<T> cell, int batch)
    {
        Require(cell, batch);
        if (_recordedBatch != batch)
        {
            throw new InvalidOperationException(_recordedBatch == 0
                ? "BackwardBatch needs the window recorded by ForwardBatch in this workspace, and none is (none was run, or StepBatch has run since): call ForwardBatch first."
                : $"BackwardBatch of {batch} streams needs the window ForwardBatch recorded for {batch} streams; this workspace holds one of {_recordedBatch}.");
        }
    }

    /// <summary>Sets stream <paramref name="stream"/>'s input at step <paramref name="step"/> of the window (step 0 for a streaming step).</summary>
    public void SetInput(int step, int stream, int batch, ReadOnlySpan<T> input)
    {
        RequireStep(step);
        SpanGuard.RequireLength(input.Length, _inputSize, nameof(input), "InputSize");
        Scatter(input, _inputs.Span.Slice(step * _inputSize * batch), stream, batch);
    }

    /// <summary>Copies stream <paramref name="stream"/>'s output at step <paramref name="step"/> of the window.</summary>
    public void GetOutput(int step, int stream, int batch, Span<T> output)
    {
        RequireStep(step);
        SpanGuard.RequireLength(output.Length, _outputSize, nameof(output), "OutputSize");
        Gather(_outputs.Span.Slice(step * _outputSize * batch), stream, batch, output);
    }

    /// <summary>Sets dL/dy of stream <paramref name="stream"/> at step <paramref name="step"/>.</summary>
    public void SetOutputGradient(int step, int stream, int batch, ReadOnlySpan<T> outputGradient)
    {
        RequireStep(step);
        SpanGuard.RequireLength(outputGradient.Length, _outputSize, nameof(outputGradient), "OutputSize");
        Scatter(outputGradient, _outputGradients.Span.Slice(step * _outputSize * batch), stream, batch);
    }

    /// <summary>Sets dL/dy of every stream and step to zero: the steps without a target.</summary>
    public void ClearOutputGradients(int batch)
    {
        RequireBatch(batch);
        _outputGradients.Span.Slice(0, _truncationLength * _outputSize * batch).Clear();
    }

    /// <summary>Sets the state stream <paramref name="stream"/> starts from: s_{-1} of a window, or the carried state of streaming steps.</summary>
    public void SetState(int stream, int batch, ReadOnlySpan<T> state)
    {
        SpanGuard.RequireLength(state.Length, _stateSize, nameof(state), "StateSize");
        Scatter(state, _tape.Span, stream, batch);
    }

    /// <summary>Sets the state stream <paramref name="stream"/> starts from to zero: a new sequence.</summary>
    public void ClearState(int stream, int batch)
    {
        RequireStream(stream, batch);
        var states = _tape.Span;
        for (int u = 0; u < _stateSize; u++)
        {
            states[u * batch + stream] = T.Zero;
        }
    }

    /// <summary>Copies the state stream <paramref name="stream"/> starts from (after StepBatch: its new state).</summary>
    public void GetState(int stream, int batch, Span<T> state)
    {
        SpanGuard.RequireLength(state.Length, _stateSize, nameof(state), "StateSize");
        Gather(_tape.Span, stream, batch, state);
    }

    /// <summary>Copies s_{k2-1} of stream <paramref name="stream"/>, the state at the end of the last ForwardBatch.</summary>
    public void GetFinalState(int stream, int batch, Span<T> state)
    {
        SpanGuard.RequireLength(state.Length, _stateSize, nameof(state), "StateSize");
        Gather(_tape.Span.Slice(_truncationLength * _frameSize * batch), stream, batch, state);
    }

    /// <summary>Sets dL/ds_{k2-1} of stream <paramref name="stream"/>, read by the next BackwardBatch.</summary>
    public void SetFinalStateGradient(int stream, int batch, ReadOnlySpan<T> stateGradient)
    {
        SpanGuard.RequireLength(stateGradient.Length, _stateSize, nameof(stateGradient), "StateSize");
        Scatter(stateGradient, _adjointTape.Span.Slice(_truncationLength * _frameSize * batch), stream, batch);
    }

    /// <summary>Sets dL/ds_{k2-1} of every stream to zero: the gradient stops at the end of the window.</summary>
    public void ClearFinalStateGradients(int batch)
    {
        RequireBatch(batch);
        _adjointTape.Span.Slice(_truncationLength * _frameSize * batch, _stateSize * batch).Clear();
    }

    /// <summary>Copies dL/ds_{-1} of stream <paramref name="stream"/>, left by the last BackwardBatch.</summary>
    public void GetInitialStateGradient(int stream, int batch, Span<T> stateGradient)
    {
        SpanGuard.RequireLength(stateGradient.Length, _stateSize, nameof(stateGradient), "StateSize");
        Gather(_adjointTape.Span, stream, batch, stateGradient);
    }

    private void RequireBatch(int batch)
    {
        if (batch < 1 || batch > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must hold 1 to {Capacity} streams, the workspace's capacity.");
        }
    }

    private void RequireStep(int step)
    {
        if ((uint)step >= (uint)_truncationLength)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"A step of the window: 0 to {_truncationLength - 1}.");
        }
    }

    /// <summary>block[u × batch + stream] = value[u]: one stream's value into a feature-major block.</summary>
    private void Scatter(ReadOnlySpan<T> value, Span<T> block, int stream, int batch)
    {
        RequireStream(stream, batch);
        ScatterStream(value, block, stream, batch);
    }

    /// <summary>value[u] = block[u × batch + stream]: one stream's value out of a feature-major block.</summary>
    private void Gather(ReadOnlySpan<T> block, int stream, int batch, Span<T> value)
    {
        RequireStream(stream, batch);
        GatherStream(block, stream, batch, value);
    }

    /// <summary>The transposition of <see cref="Scatter"/>, the stream already checked.</summary>
    private static void ScatterStream(ReadOnlySpan<T> value, Span<T> block, int stream, int batch)
    {
        for (int u = 0; u < value.Length; u++)
        {
            block[u * batch + stream] = value[u];
        }
    }

    /// <summary>The transposition of <see cref="Gather"/>, the stream already checked.</summary>
    private static void GatherStream(ReadOnlySpan<T> block, int stream, int batch, Span<T> value)
    {
        for (int u = 0; u < value.Length; u++)
        {
            value[u] = block[u * batch + stream];
        }
    }

    private void RequireStream(int stream, int batch)
    {
        RequireBatch(batch);
        if ((uint)stream >= (uint)batch)
        {
            throw new ArgumentOutOfRangeException(nameof(stream), stream, $"A stream of the batch: 0 to {batch - 1}.");
        }
    }
}
