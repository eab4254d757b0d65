using System;
using System.Collections.Generic;
using System.Numerics;

namespace UnrolledRnn;

/// <summary>
/// What every generated cell offers the runtime: one window of k2 steps forward and backward, a streaming
/// step, and its parameters, gradients and carried state as flat spans. The generator implements it
/// explicitly; the same members are public on the cell under their own names, with named views.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IUnrolledCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements of the input at one step (all inputs concatenated in declaration order).</summary>
    int InputSize { get; }

    /// <summary>Elements of the output at one step (all outputs concatenated in declaration order).</summary>
    int OutputSize { get; }

    /// <summary>Elements of the carried state (all states concatenated in declaration order).</summary>
    int StateSize { get; }

    /// <summary>Number of trained scalars: the length of <see cref="Parameters"/> and <see cref="Gradients"/>.</summary>
    int ParameterCount { get; }

    /// <summary>k2: the number of steps <see cref="Forward"/> and <see cref="Backward"/> unroll.</summary>
    int TruncationLength { get; }

    /// <summary>Every parameter, in one contiguous buffer (layout: <see cref="ParameterTensors"/>).</summary>
    Span<T> Parameters { get; }

    /// <summary>The accumulated gradient of every parameter, with the layout of <see cref="Parameters"/>.</summary>
    Span<T> Gradients { get; }

    /// <summary>The state carried from one window (or step) to the next.</summary>
    Span<T> State { get; }

    /// <summary>Name, shape and offset of every parameter tensor in <see cref="Parameters"/>.</summary>
    IReadOnlyList<ParameterTensor> ParameterTensors { get; }

    /// <summary>
    /// Runs k2 steps from the carried state, recording what <see cref="Backward"/> needs, and carries the
    /// final state. <paramref name="inputs"/> holds k2 × InputSize elements, step after step;
    /// <paramref name="outputs"/> receives k2 × OutputSize.
    /// </summary>
    void Forward(ReadOnlySpan<T> inputs, Span<T> outputs);

    /// <summary>
    /// Backpropagates through the k2 steps of the last <see cref="Forward"/> and adds every parameter's
    /// gradient to <see cref="Gradients"/>.
    /// </summary>
    /// <param name="outputGradients">dL/dy for every step: k2 × OutputSize.</param>
    /// <param name="finalStateGradient">dL/d(final state), StateSize elements, or empty for zero.</param>
    /// <param name="initialStateGradient">Receives dL/d(initial state): StateSize elements.</param>
    /// <param name="stateAdjointNorms">
    /// Receives k2 norms: element k is ‖dL/ds‖ for the state produced k steps before the end of the window
    /// (k = 0: the final state), counting every path from that state to the loss within the window.
    /// </param>
    void Backward(ReadOnlySpan<T> outputGradients, ReadOnlySpan<T> finalStateGradient,
        Span<T> initialStateGradient, Span<T> stateAdjointNorms);

    /// <summary>One streaming step from the carried state, recording nothing.</summary>
    /// <remarks>
    /// The values are not checked: a NaN or an infinity in <paramref name="input"/> (or a finite input so large that
    /// the cell overflows) makes the carried state NaN or infinite, and a NaN in the state carries into every later
    /// state, whatever the inputs, until <see cref="ResetState"/> or a write to <see cref="State"/>.
    /// <see cref="UnrolledCellExtensions.StepChecked{T}"/> checks the input first and throws instead.
    /// </remarks>
    void Step(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Sets the carried state to zero: the start of a new sequence.</summary>
    void ResetState();

    /// <summary>Sets every accumulated gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>
    /// Fills the parameters from <paramref name="seed"/>: Glorot uniform for input and output weights,
    /// orthogonal or identity blocks for recurrent weights, zero for vectors.
    /// </summary>
    void InitializeParameters(ulong seed);
}
