using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace UnrolledRnn.Training;

/// <summary>
/// Drives a stream through a generated cell with truncated backpropagation through time, TBPTT(k1, k2): it runs
/// the cell forward at every step and, every k1 steps, makes one update from the last k2 steps (the window):
/// the loss is the sum of the losses of the steps since the previous update (the last min(k1, k2) steps of the
/// window), the gradient flows back through the whole window and stops at its start, where the state is taken
/// as a constant. Allocation-free after construction. See docs/training.md for the precise schedule.
/// </summary>
/// <typeparam name="TCell">The generated cell. Drive it only through the trainer while training.</typeparam>
/// <typeparam name="T">The cell's element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <remarks>
/// k2 is the cell's <c>TruncationLength</c>, fixed when the cell is generated. Each update restores the state
/// at the window's start from a ring of snapshots and recomputes the window with the cell's Forward, then runs
/// Backward, checks the loss and the gradient for NaN and infinity, clips, and steps the optimizer. After an
/// update <c>Cell.Gradients</c> holds the gradient that was applied (clipped, if it was). Every step's input and
/// target are checked for NaN and infinity before the step is taken, and the state after it (see
/// <see cref="TbpttOptions.SkipNonFiniteSteps"/> and <see cref="StateRestoreCount"/>).
/// </remarks>
public sealed partial class TbpttTrainer<TCell, T>
    where TCell : class, IUnrolledCell<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TCell _cell;
    private readonly Loss<T> _loss;
    private readonly Optimizer<T> _optimizer;
    private readonly int _k1, _k2, _inputSize, _outputSize, _stateSize, _targetSize;
    private readonly bool _skipNonFiniteSteps;
    private readonly GradientPolicy<T> _policy;

    // The ring of the last k2 steps, slot = step index mod k2: the input, the target (if any) and the state
    // before the step, from which an update recomputes its window.
    private readonly T[] _inputRing;
    private readonly T[] _targetRing;
    private readonly bool[] _hasTargetRing;
    private readonly T[] _stateRing;

    // The window of an update, in time order.
    private readonly T[] _windowInputs;
    private readonly T[] _windowTargets;
    private readonly bool[] _windowHasTarget;
    private readonly T[] _windowStartState;
    private readonly T[] _windowOutputs;
    private readonly T[] _windowOutputGradients;

    private readonly T[] _streamState;
    private readonly T[] _initialStateGradient;
    private readonly T[] _stateAdjointNorms;
    private readonly T[] _stepOutput;

    private long _stepsSinceReset;
    private long _stepsSinceUpdate;
    private long _totalSteps;
    private long _updateCount;

    /// <summary>Creates a trainer for <paramref name="cell"/>. Everything it needs is allocated here.</summary>
    /// <param name="cell">The generated cell: its parameters are trained, its state is the stream's.</param>
    /// <param name="loss">The loss of one step.</param>
    /// <param name="optimizer">The optimizer; prepared here for the cell's parameter count.</param>
    /// <param name="updateInterval">k1: the number of steps between updates, at least 1. Smaller, equal to or larger than k2.</param>
    /// <param name="options">Clipping, NaN handling, ARTBP; null for the defaults.</param>
    /// <exception cref="ArgumentNullException">The cell, loss or optimizer is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// k1 is below 1; <see cref="TbpttOptions.TruncationLength"/> differs from the cell's; a clipping threshold is
    /// not finite and positive.
    /// </exception>
    /// <exception cref="ArgumentException"><see cref="TbpttOptions.LearnInitialState"/> is set together with <see cref="TbpttOptions.Artbp"/>.</exception>
    public TbpttTrainer(TCell cell, Loss<T> loss, Optimizer<T> optimizer, int updateInterval, TbpttOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new TbpttOptions();
        if (updateInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(updateInterval), updateInterval, "k1, the number of steps between updates, must be at least 1.");
        }

        if (options.TruncationLength is int k2 && k2 != cell.TruncationLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), k2,
                $"k2 must equal the cell's TruncationLength, {cell.TruncationLength}: the generated window has that length. " +
                "Generate a cell with [UnrolledCell(k2)] for another k2.");
        }

        _cell = cell;
        _loss = loss;
        _optimizer = optimizer;
        _k1 = updateInterval;
        _k2 = cell.TruncationLength;
        _inputSize = cell.InputSize;
        _outputSize = cell.OutputSize;
        _stateSize = cell.StateSize;
        _targetSize = loss.TargetSize(_outputSize);
        _skipNonFiniteSteps = options.SkipNonFiniteSteps;
        _policy = new GradientPolicy<T>(options.MaxGradientNorm, options.MaxGradientValue, options.ThrowOnNonFinite,
            nameof(TbpttOptions.MaxGradientNorm), nameof(TbpttOptions.MaxGradientValue));

        _inputRing = new T[_k2 * _inputSize];
        _targetRing = new T[_k2 * _targetSize];
        _hasTargetRing = new bool[_k2];
        _stateRing = new T[_k2 * _stateSize];
        _windowInputs = new T[_k2 * _inputSize];
        _windowTargets = new T[_k2 * _targetSize];
        _windowHasTarget = new bool[_k2];
        _windowStartState = new T[_stateSize];
        _windowOutputs = new T[_k2 * _outputSize];
        _windowOutputGradients = new T[_k2 * _outputSize];
        _streamState = new T[_stateSize];
        _initialStateGradient = new T[_stateSize];
        _stateAdjointNorms = new T[_k2];
        _stepOutput = new T[_outputSize];

        if (options.Artbp is not null)
        {
            _artbp = new ArtbpState(options.Artbp, options.ArtbpSeed, _k2, _inputSize, _outputSize, _stateSize);
        }

        optimizer.Prepare(cell.ParameterCount);
        if (options.LearnInitialState)
        {
            if (options.Artbp is not null)
            {
                throw new ArgumentException(
                    "LearnInitialState cannot be combined with Artbp: ARTBP's truncated backward passes do not give dL/ds_{-1} of the window. " +
                    "Use plain TBPTT (Artbp = null) to learn the initial state.", nameof(options));
            }

            // The stream starts a sequence here, from s0 (zero), as after Reset.
            _initialState = new LearnedInitialState<T>(_stateSize, optimizer);
            _initialState.Values.CopyTo(cell.State);
        }
    }

    /// <summary>The cell being trained.</summary>
    public TCell Cell => _cell;

    /// <summary>The loss of one step.</summary>
    public Loss<T> Loss => _loss;

    /// <summary>The optimizer.</summary>
    public Optimizer<T> Optimizer => _optimizer;

    /// <summary>k1: the number of steps between updates.</summary>
    public int UpdateInterval => _k1;

    /// <summary>k2: the window's length, the cell's <c>TruncationLength</c>.</summary>
    public int TruncationLength => _k2;

    /// <summary>The number of elements of one step's target (from the loss).</summary>
    public int TargetSize => _targetSize;

    /// <summary>The steps consumed since construction or the last <see cref="Reset"/>.</summary>
    public long StepsSinceReset => _stepsSinceReset;

    /// <summary>The updates made since construction, skipped ones included.</summary>
    public long UpdateCount => _updateCount;

    /// <summary>The report of the last update (default before the first). Its norms are overwritten by the next update.</summary>
    public UpdateReport<T> LastReport { get; private set; }

    /// <summary>Called with every update's report; null for none.</summary>
    public ITrainingMonitor<T>? Monitor { get; set; }

    /// <summary>
    /// Starts a new sequence: sets the cell's state to zero (to the learned initial state s0 with
    /// <see cref="TbpttOptions.LearnInitialState"/>) and forgets the window. Losses of steps since the last update
    /// are dropped. Write <c>Cell.State</c> afterwards to start from another state (the window that starts there
    /// then gives s0 no gradient).
    /// </summary>
    public void Reset()
    {
        if (_initialState is null)
        {
            _cell.ResetState();
        }
        else
        {
            _initialState.Values.CopyTo(_cell.State);
        }

        _stepsSinceReset = 0;
        _stepsSinceUpdate = 0;
    }

    /// <summary>Consumes one step without returning its output. See <see cref="Step(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.</summary>
    /// <param name="input">x_t: InputSize elements.</param>
    /// <param name="target">The step's target (<see cref="TargetSize"/> elements), or empty for a step without loss.</param>
    /// <returns>Whether an update was made at this step (applied or skipped).</returns>
    public bool Step(ReadOnlySpan<T> input, ReadOnlySpan<T> target) => Step(input, target, Span<T>.Empty);

    /// <summary>
    /// Consumes one step: runs the cell forward from the carried state and, if an update falls due, makes it.
    /// </summary>
    /// <param name="input">x_t: InputSize elements.</param>
    /// <param name="target">The step's target (<see cref="TargetSize"/> elements), or empty for a step without loss.</param>
    /// <param name="output">Receives y_t (OutputSize elements), computed before any update at this step; or empty.</param>
    /// <returns>
    /// Whether an update was made at this step (applied or skipped); its report is <see cref="LastReport"/>. False
    /// for a step skipped under <see cref="TbpttOptions.SkipNonFiniteSteps"/>, whose output is filled with NaN.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// A span has the wrong length (the message names the expected one); or the input or the target holds a NaN
    /// or an infinity (the message names the step and the element) and <see cref="TbpttOptions.SkipNonFiniteSteps"/>
    /// is not set: the step is not taken and nothing is touched.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The loss rejects the target (e.g. a class index out of range).</exception>
    /// <exception cref="NotFiniteNumberException">
    /// The update's loss or gradient is not finite and <see cref="TbpttOptions.ThrowOnNonFinite"/> is set; or the
    /// optimizer produced a non-finite parameter from a finite gradient.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The carried state was already NaN or infinite before the step (written to <c>Cell.State</c>, or the cell was
    /// stepped outside the trainer): call <see cref="Reset"/>.
    /// </exception>
    public bool Step(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> output)
    {
        SpanGuard.RequireLength(input.Length, _inputSize, nameof(input), "InputSize");
        if (!target.IsEmpty && target.Length != _targetSize)
        {
            SpanGuard.RequireLength(target.Length, _targetSize, nameof(target), _loss.TargetLayout + ", or empty");
        }

        if (!output.IsEmpty)
        {
            SpanGuard.RequireLength(output.Length, _outputSize, nameof(output), "OutputSize, or empty");
        }

        if (NonFiniteGuard.IndexOfNonFinite(input) >= 0 || NonFiniteGuard.IndexOfNonFinite(target) >= 0)
        {
            RejectNonFiniteStep(input, target, stepInRun: -1, output);
            return false;
        }

        if (!target.IsEmpty)
        {
            _loss.ValidateTarget(target, _outputSize);
        }

        return Advance(input, target, output.IsEmpty ? _stepOutput : output);
    }

    /// <summary>Consumes a run of steps without returning their outputs. See <see cref="Run(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.</summary>
    /// <param name="inputs">n × InputSize elements, step after step.</param>
    /// <param name="targets">n × <see cref="TargetSize"/> elements, or empty: steps without loss.</param>
    /// <returns>The number of updates made.</returns>
    public int Run(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets) => Run(inputs, targets, Span<T>.Empty);

    /// <summary>
    /// Consumes n steps, exactly as n calls of <see cref="Step(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    /// would, but faster when k1 ≥ k2: a window that lies wholly inside the run is computed once, by the update's
    /// Forward, instead of once by streaming steps and again by the update.
    /// </summary>
    /// <param name="inputs">n × InputSize elements, step after step.</param>
    /// <param name="targets">n × <see cref="TargetSize"/> elements, or empty: steps without loss.</param>
    /// <param name="outputs">Receives n × OutputSize elements, or empty. NaN for the steps skipped under <see cref="TbpttOptions.SkipNonFiniteSteps"/>.</param>
    /// <returns>The number of updates made; the last one's report is <see cref="LastReport"/>, all go to <see cref="Monitor"/>.</returns>
    /// <exception cref="ArgumentException">
    /// A span has the wrong length (the message names the expected one); nothing was consumed. Or, as n calls of
    /// Step would: the input or target of step i of the run holds a NaN or an infinity and
    /// <see cref="TbpttOptions.SkipNonFiniteSteps"/> is not set. The message names step i (in the run and in the
    /// stream) and the element; steps 0 to i - 1 were taken (<see cref="StepsSinceReset"/> grew by i), the others
    /// were not.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The loss rejects a target; nothing was consumed.</exception>
    /// <exception cref="NotFiniteNumberException">As for <see cref="Step(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.</exception>
    /// <exception cref="InvalidOperationException">As for <see cref="Step(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>.</exception>
    public int Run(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> outputs)
    {
        int steps = inputs.Length / _inputSize;
        SpanGuard.RequireLength(inputs.Length, steps * _inputSize, nameof(inputs), "a multiple of InputSize");
        bool hasTargets = !targets.IsEmpty;
        int nextBadTarget = steps;
        if (hasTargets)
        {
            if (targets.Length != steps * _targetSize)
            {
                // The message is built only on failure: the good path allocates nothing.
                SpanGuard.RequireLength(targets.Length, steps * _targetSize, nameof(targets), $"steps x ({_loss.TargetLayout}), or empty");
            }

            // The finite targets go to the loss now; one holding a NaN or an infinity is dealt with at its step.
            nextBadTarget = NextNonFiniteStep(targets, _targetSize, 0);
            for (int i = 0, bad = nextBadTarget; i < steps; i++)
            {
                if (i == bad)
                {
                    bad = NextNonFiniteStep(targets, _targetSize, i + 1);
                    continue;
                }

                _loss.ValidateTarget(targets.Slice(i * _targetSize, _targetSize), _outputSize);
            }
        }

        if (!outputs.IsEmpty)
        {
            SpanGuard.RequireLength(outputs.Length, steps * _outputSize, nameof(outputs), "steps x OutputSize, or empty");
        }

        // The steps between two non-finite ones run as usual; each non-finite step throws or is skipped.
        int updates = 0;
        int nextBadInput = NextNonFiniteStep(inputs, _inputSize, 0);
        for (int start = 0; ;)
        {
            int bad = Math.Min(nextBadInput, nextBadTarget);
            updates += RunFinite(inputs, targets, outputs, start, bad);
            if (bad == steps)
            {
                return updates;
            }

            RejectNonFiniteStep(inputs.Slice(bad * _inputSize, _inputSize), hasTargets ? targets.Slice(bad * _targetSize, _targetSize) : ReadOnlySpan<T>.Empty,
                bad, outputs.IsEmpty ? Span<T>.Empty : outputs.Slice(bad * _outputSize, _outputSize));
            start = bad + 1;
            nextBadInput = nextBadInput == bad ? NextNonFiniteStep(inputs, _inputSize, start) : nextBadInput;
            nextBadTarget = nextBadTarget == bad ? NextNonFiniteStep(targets, _targetSize, start) : nextBadTarget;
        }
    }

    /// <summary>Steps <paramref name="start"/> to <paramref name="end"/> - 1 of a run, whose inputs and targets are finite.</summary>
    private int RunFinite(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> outputs, int start, int end)
    {
        bool hasTargets = !targets.IsEmpty, hasOutputs = !outputs.IsEmpty;
        int updates = 0;
        int stepByStepUntil = start;
        for (int i = start; i < end;)
        {
            // k1 >= k2 and the next update's whole window lies ahead in this run: compute it once, in the update.
            if (_k1 >= _k2 && _stepsSinceUpdate == _k1 - _k2 && end - i >= _k2 && i >= stepByStepUntil)
            {
                var windowTargets = hasTargets ? targets.Slice(i * _targetSize, _k2 * _targetSize) : ReadOnlySpan<T>.Empty;
                if (TryUpdateOnWindowAhead(inputs.Slice(i * _inputSize, _k2 * _inputSize), windowTargets, out bool updated))
                {
                    if (hasOutputs)
                    {
                        _windowOutputs.AsSpan().CopyTo(outputs.Slice(i * _outputSize, _k2 * _outputSize));
                    }

                    updates += updated ? 1 : 0;
                    i += _k2;
                    continue;
                }

                // The state overflowed inside the window: take its steps one by one, as Step would, so that the
                // overflow is caught and undone at the step where it happens.
                stepByStepUntil = i + _k2;
            }

            var target = hasTargets ? targets.Slice(i * _targetSize, _targetSize) : ReadOnlySpan<T>.Empty;
            var output = hasOutputs ? outputs.Slice(i * _outputSize, _outputSize) : _stepOutput;
            updates += Advance(inputs.Slice(i * _inputSize, _inputSize), target, output) ? 1 : 0;
            i++;
        }

        return updates;
    }

    /// <summary>
    /// Runs the next k2 steps of a run with one Forward, as the window of the update that falls due at their end,
    /// and makes the update. Returns false, with the state as it was and nothing else changed, if the state came
    /// out NaN or infinite.
    /// </summary>
    private bool TryUpdateOnWindowAhead(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, out bool updated)
    {
        _cell.State.CopyTo(_windowStartState);
        inputs.CopyTo(_windowInputs);
        _cell.Forward(_windowInputs, _windowOutputs);
        if (!TensorPrimitives.IsFiniteAll<T>(_cell.State))
        {
            _windowStartState.CopyTo(_cell.State);
            updated = false;
            return false;
        }

        targets.CopyTo(_windowTargets);
        _windowHasTarget.AsSpan().Fill(!targets.IsEmpty);
        _stepsSinceReset += _k2;
        _stepsSinceUpdate += _k2;
        _totalSteps += _k2;
        updated = Update(windowIsStream: true);
        return true;
    }

    /// <summary>One validated step: snapshot, forward, and the update if one falls due.</summary>
    private bool Advance(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> output)
    {
        int slot = (int)(_stepsSinceReset % _k2);
        var stateBefore = _stateRing.AsSpan(slot * _stateSize, _stateSize);
        _cell.State.CopyTo(stateBefore);
        input.CopyTo(_inputRing.AsSpan(slot * _inputSize, _inputSize));
        _hasTargetRing[slot] = !target.IsEmpty;
        target.CopyTo(_targetRing.AsSpan(slot * _targetSize, _targetSize));
        _cell.Step(input, output);
        if (!TensorPrimitives.IsFiniteAll<T>(_cell.State))
        {
            RestoreStateBefore(stateBefore);
        }

        _stepsSinceReset++;
        _stepsSinceUpdate++;
        _totalSteps++;

        // Due every k1 steps, but only once a whole window has been seen since the reset (see docs/training.md).
        if (_stepsSinceUpdate < _k1 || _stepsSinceReset < _k2)
        {
            return false;
        }

        // The window is the last k2 steps; the oldest is in the slot after the newest.
        int first = (int)(_stepsSinceReset % _k2);
        for (int w = 0; w < _k2; w++)
        {
            int ring = (first + w) % _k2;
            _inputRing.AsSpan(ring * _inputSize, _inputSize).CopyTo(_windowInputs.AsSpan(w * _inputSize, _inputSize));
            _targetRing.AsSpan(ring * _targetSize, _targetSize).CopyTo(_windowTargets.AsSpan(w * _targetSize, _targetSize));
            _windowHasTarget[w] = _hasTargetRing[ring];
        }

        _stateRing.AsSpan(first * _stateSize, _stateSize).CopyTo(_windowStartState);
        _cell.State.CopyTo(_streamState);
        return Update(windowIsStream: false);
    }
}
