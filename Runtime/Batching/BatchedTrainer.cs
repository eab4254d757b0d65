using System;
using System.Numerics;
using System.Numerics.Tensors;
using UnrolledRnn.Training;

namespace UnrolledRnn.Batching;

/// <summary>
/// Trains a cell on B streams in lockstep, one window of k2 steps per stream per update (TBPTT with k1 = k2): each
/// stream carries its own state from window to window, has its own targets, and starts a new sequence when
/// <see cref="ResetStream"/> is called (from zero, or from a learned initial state:
/// <see cref="BatchedTrainerOptions.LearnInitialState"/>). The loss is the mean over the streams of each stream's
/// summed loss (PyTorch's convention for a batch), the gradient flows back through the window and stops at its
/// start, and the update is checked, clipped and applied as <see cref="TbpttTrainer{TCell, T}"/> does.
/// Allocation-free after construction, worker threads included.
/// </summary>
/// <typeparam name="TCell">The generated cell: its parameters are trained; its own state is not used.</typeparam>
/// <typeparam name="T">The cell's element type.</typeparam>
/// <remarks>
/// The batch is split into fixed chunks of <see cref="BatchedTrainerOptions.StreamsPerChunk"/> streams, each run by one
/// thread at a time with its own workspace and gradient buffer; the gradients are summed in chunk order, so 1, 2 or
/// 4 threads give bit-identical parameters. The loss's <c>Evaluate</c> is called from those threads, at the same time
/// for different chunks: a loss must not keep state between calls (the library's do not).
/// </remarks>
public sealed partial class BatchedTrainer<TCell, T> : IDisposable
    where TCell : class, IBatchedCell<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TCell _cell;
    private readonly Loss<T> _loss;
    private readonly Optimizer<T> _optimizer;
    private readonly GradientPolicy<T> _policy;
    private readonly int _k2, _inputSize, _outputSize, _stateSize, _targetSize, _chunkSize, _chunkCount;
    private readonly T _streamWeight;

    private readonly BatchWorkspace<T>[] _workspaces;
    private readonly ChunkWorkers _workers;

    // Per stream: the carried state, and whether its next window starts a sequence (with a learned initial state);
    // per update: the targets and which steps have one (read by the workers).
    private readonly T[] _states;
    private readonly bool[] _startsSequence;
    private readonly T[] _targets;
    private readonly bool[] _hasTarget;

    // Per chunk: its loss, its steps with a target, and its scratch for one step's output and dL/dy.
    private readonly T[] _chunkLoss;
    private readonly int[] _chunkLossSteps;
    private readonly T[][] _chunkOutput, _chunkOutputGradient;

    private readonly T[] _stateAdjointNorms;
    private long _updateCount, _totalSteps;

    /// <summary>Creates a trainer of <paramref name="batchSize"/> streams; everything it needs, threads included, is created here.</summary>
    /// <exception cref="ArgumentNullException">The cell, loss or optimizer is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The batch size, <see cref="BatchedTrainerOptions.StreamsPerChunk"/> or <see cref="BatchedTrainerOptions.Threads"/>
    /// is below 1; a clipping threshold is not finite and positive.
    /// </exception>
    public BatchedTrainer(TCell cell, Loss<T> loss, Optimizer<T> optimizer, int batchSize, BatchedTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new BatchedTrainerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.StreamsPerChunk, 1, nameof(options.StreamsPerChunk));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options.Threads));
        _policy = new GradientPolicy<T>(options.MaxGradientNorm, options.MaxGradientValue, options.ThrowOnNonFinite,
            nameof(BatchedTrainerOptions.MaxGradientNorm), nameof(BatchedTrainerOptions.MaxGradientValue));

        _cell = cell;
        _loss = loss;
        _optimizer = optimizer;
        BatchSize = batchSize;
        _k2 = cell.TruncationLength;
        _inputSize = cell.InputSize;
        _outputSize = cell.OutputSize;
        _stateSize = cell.StateSize;
        _targetSize = loss.TargetSize(_outputSize);
        _chunkSize = Math.Min(options.StreamsPerChunk, batchSize);
        _chunkCount = (batchSize + _chunkSize - 1) / _chunkSize;
        _streamWeight = T.One / T.CreateChecked(batchSize);

        _workspaces = new BatchWorkspace<T>[_chunkCount];
        _chunkOutput = new T[_chunkCount][];
        _chunkOutputGradient = new T[_chunkCount][];
        _chunkInitialStateGradient = new T[_chunkCount][];
        _chunkStreamStateGradient = new T[_chunkCount][];
        for (int c = 0; c < _chunkCount; c++)
        {
            _workspaces[c] = new BatchWorkspace<T>(cell, _chunkSize);
            _chunkOutput[c] = new T[_outputSize];
            _chunkOutputGradient[c] = new T[_outputSize];
            _chunkInitialStateGradient[c] = new T[options.LearnInitialState ? _stateSize : 0];
            _chunkStreamStateGradient[c] = new T[options.LearnInitialState ? _stateSize : 0];
        }

        _chunkLoss = new T[_chunkCount];
        _chunkLossSteps = new int[_chunkCount];
        _states = new T[batchSize * _stateSize];
        _startsSequence = new bool[batchSize];
        _chunkStartsSequence = new bool[_chunkCount];
        if (options.LearnInitialState)
        {
            // s0 is zero, as every stream's state: the first window of every stream starts a sequence.
            _initialState = new LearnedInitialState<T>(_stateSize, optimizer);
            _startsSequence.AsSpan().Fill(true);
        }

        _targets = new T[batchSize * _k2 * _targetSize];
        _hasTarget = new bool[batchSize * _k2];
        _stateAdjointNorms = new T[_k2];
        optimizer.Prepare(cell.ParameterCount);
        _workers = new ChunkWorkers(options.Threads, RunChunk);
    }

    /// <summary>The cell being trained.</summary>
    public TCell Cell => _cell;

    /// <summary>B: the number of streams.</summary>
    public int BatchSize { get; }

    /// <summary>k2: the steps of one window, the cell's <c>TruncationLength</c>.</summary>
    public int TruncationLength => _k2;

    /// <summary>The number of elements of one step's target (from the loss).</summary>
    public int TargetSize => _targetSize;

    /// <summary>The number of chunks the batch is split into (fixed, whatever the number of threads).</summary>
    public int ChunkCount => _chunkCount;

    /// <summary>The updates made since construction, skipped ones included.</summary>
    public long UpdateCount => _updateCount;

    /// <summary>The report of the last update (default before the first). Its norms are overwritten by the next update.</summary>
    public UpdateReport<T> LastReport { get; private set; }

    /// <summary>Called with every update's report; null for none.</summary>
    public ITrainingMonitor<T>? Monitor { get; set; }

    /// <summary>Bytes the worker threads have allocated while running chunks since they started (0 when nothing allocates).</summary>
    public long WorkerAllocatedBytes => _workers.WorkerAllocatedBytes;

    /// <summary>The state stream <paramref name="stream"/> carries into its next window (StateSize elements, the cell's layout); writable.</summary>
    public Span<T> StateOf(int stream)
    {
        RequireStream(stream);
        return _states.AsSpan(stream * _stateSize, _stateSize);
    }

    /// <summary>
    /// Starts a new sequence on stream <paramref name="stream"/>: its state is set to zero, or, with
    /// <see cref="BatchedTrainerOptions.LearnInitialState"/>, to the learned initial state s0, and its next window
    /// starts from s0 (as s0 is when <see cref="Update"/> runs, whatever is written to <see cref="StateOf"/>
    /// meanwhile) and adds its dL/ds_{-1} to s0's gradient.
    /// </summary>
    public void ResetStream(int stream)
    {
        var state = StateOf(stream);
        if (_initialState is null)
        {
            state.Clear();
            return;
        }

        _initialState.Values.CopyTo(state);
        _startsSequence[stream] = true;
    }

    /// <summary>
    /// Runs one window of k2 steps on every stream and makes one update from it.
    /// </summary>
    /// <param name="inputs">B × k2 × InputSize elements: stream after stream, each its window step after step.</param>
    /// <param name="targets">B × k2 × <see cref="TargetSize"/> elements, laid out alike.</param>
    /// <param name="hasTarget">B × k2 flags, stream after stream: whether the step has a target (a step without one
    /// adds no loss); empty when every step has one.</param>
    /// <returns>Whether an update was made (applied or skipped as not finite); false when no step had a target.</returns>
    /// <exception cref="ArgumentException">A span has the wrong length, or an input or a target (of a step that has one)
    /// is NaN or infinite (the message names the stream, the step and the element): nothing was touched.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The loss rejects a target.</exception>
    /// <exception cref="NotFiniteNumberException">As <see cref="TbpttTrainer{TCell, T}"/>'s updates.</exception>
    public bool Update(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<bool> hasTarget = default)
    {
        int steps = BatchSize * _k2;
        SpanGuard.RequireLength(inputs.Length, steps * _inputSize, nameof(inputs), "BatchSize x TruncationLength x InputSize");
        if (targets.Length != steps * _targetSize)
        {
            SpanGuard.RequireLength(targets.Length, steps * _targetSize, nameof(targets), $"BatchSize x TruncationLength x ({_loss.TargetLayout})");
        }

        if (!hasTarget.IsEmpty)
        {
            SpanGuard.RequireLength(hasTarget.Length, steps, nameof(hasTarget), "BatchSize x TruncationLength, or empty");
        }

        Validate(inputs, targets, hasTarget);
        targets.CopyTo(_targets);
        if (hasTarget.IsEmpty)
        {
            _hasTarget.AsSpan().Fill(true);
        }
        else
        {
            hasTarget.CopyTo(_hasTarget);
        }

        // Each stream's inputs and state go into its chunk's workspace, feature-major; a sequence starts from s0.
        for (int stream = 0; stream < BatchSize; stream++)
        {
            int chunk = stream / _chunkSize, inChunk = stream % _chunkSize, batch = ChunkBatch(chunk);
            var workspace = _workspaces[chunk];
            if (_startsSequence[stream])
            {
                _initialState!.Values.CopyTo(_states.AsSpan(stream * _stateSize, _stateSize));
            }

            workspace.SetState(inChunk, batch, _states.AsSpan(stream * _stateSize, _stateSize));
            for (int t = 0; t < _k2; t++)
            {
                workspace.SetInput(t, inChunk, batch, inputs.Slice((stream * _k2 + t) * _inputSize, _inputSize));
            }
        }

        _workers.Run(_chunkCount);

        // The chunks' results, summed in chunk order; the new states back to their streams.
        var gradients = _cell.Gradients;
        _workspaces[0].Gradients.CopyTo(gradients);
        _stateAdjointNorms.AsSpan().Clear();
        T loss = T.Zero;
        int lossSteps = 0;
        for (int c = 0; c < _chunkCount; c++)
        {
            if (c > 0)
            {
                TensorPrimitives.Add<T>(gradients, _workspaces[c].Gradients, gradients);
            }

            TensorPrimitives.Add<T>(_stateAdjointNorms, _workspaces[c].StateAdjointSquaredNorms, _stateAdjointNorms);
            loss += _chunkLoss[c];
            lossSteps += _chunkLossSteps[c];
            for (int s = 0, batch = ChunkBatch(c); s < batch; s++)
            {
                _workspaces[c].GetFinalState(s, batch, _states.AsSpan((c * _chunkSize + s) * _stateSize, _stateSize));
            }
        }

        TensorPrimitives.Sqrt<T>(_stateAdjointNorms, _stateAdjointNorms);
        SumInitialStateGradient();
        _totalSteps += _k2;
        if (lossSteps == 0)
        {
            return false;
        }

        loss *= _streamWeight;
        var initialStateGradient = _initialState is null ? Span<T>.Empty : _initialState.Gradient;
        var outcome = _policy.CheckAndClip(loss, gradients, initialStateGradient, out T norm, out bool clipped);
        var report = new UpdateReport<T>(_updateCount, _totalSteps, loss, lossSteps, norm, clipped, outcome, _k2, _stateAdjointNorms, 0, 0);
        _updateCount++;
        LastReport = report;
        _policy.Finish(in report, Monitor, _optimizer, _cell.Parameters, gradients, _initialState);
        return true;
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _workers.Dispose();

    /// <summary>One chunk's window: forward, the losses of its streams, backward into its own gradient buffer.</summary>
    private void RunChunk(int chunk)
    {
        var workspace = _workspaces[chunk];
        int batch = ChunkBatch(chunk);
        _cell.ForwardBatch(workspace, batch);
        workspace.ClearOutputGradients(batch);
        var output = _chunkOutput[chunk];
        var outputGradient = _chunkOutputGradient[chunk];
        T loss = T.Zero;
        int lossSteps = 0;
        for (int s = 0; s < batch; s++)
        {
            int stream = chunk * _chunkSize + s;
            for (int t = 0; t < _k2; t++)
            {
                if (!_hasTarget[stream * _k2 + t])
                {
                    continue;
                }

                workspace.GetOutput(t, s, batch, output);
                loss += _loss.Evaluate(output, _targets.AsSpan((stream * _k2 + t) * _targetSize, _targetSize), outputGradient);
                TensorPrimitives.Multiply<T>(outputGradient, _streamWeight, outputGradient);
                workspace.SetOutputGradient(t, s, batch, outputGradient);
                lossSteps++;
            }
        }

        workspace.ClearFinalStateGradients(batch);
        workspace.Gradients.Clear();
        _cell.BackwardBatch(workspace, batch);
        _chunkLoss[chunk] = loss;
        _chunkLossSteps[chunk] = lossSteps;
        if (_initialState is not null)
        {
            SumChunkInitialStateGradient(chunk, workspace, batch);
        }
    }

    /// <summary>The streams of chunk <paramref name="chunk"/>: StreamsPerChunk, fewer in the last.</summary>
    private int ChunkBatch(int chunk) => Math.Min(_chunkSize, BatchSize - chunk * _chunkSize);

    private void Validate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<bool> hasTarget)
    {
        int badInput = NonFiniteGuard.IndexOfNonFinite(inputs);
        if (badInput >= 0)
        {
            ThrowNonFinite("input", badInput, _inputSize, inputs[badInput]);
        }

        for (int step = 0; step < BatchSize * _k2; step++)
        {
            if (!hasTarget.IsEmpty && !hasTarget[step])
            {
                continue;
            }

            var target = targets.Slice(step * _targetSize, _targetSize);
            int bad = NonFiniteGuard.IndexOfNonFinite(target);
            if (bad >= 0)
            {
                ThrowNonFinite("target", step * _targetSize + bad, _targetSize, target[bad]);
            }

            _loss.ValidateTarget(target, _outputSize);
        }
    }

    private void ThrowNonFinite(string what, int index, int size, T value) =>
        throw new ArgumentException(
            $"The {what} of stream {index / size / _k2}, step {index / size % _k2} of the window, element {index % size}, is {value}: " +
            "every input, and the target of every step that has one, must be finite. Nothing was touched.", what + "s");

    private void RequireStream(int stream)
    {
        if ((uint)stream >= (uint)BatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(stream), stream, $"A stream of the batch: 0 to {BatchSize - 1}.");
        }
    }
}
