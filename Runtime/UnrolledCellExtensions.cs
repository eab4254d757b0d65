using System;
using System.Numerics;

namespace UnrolledRnn;

/// <summary>
/// Checked variants of the members every generated cell offers through <see cref="IUnrolledCell{T}"/>, and the start
/// of a sequence from a learned initial state.
/// </summary>
public static class UnrolledCellExtensions
{
    /// <summary>
    /// <see cref="IUnrolledCell{T}.Step"/>, after checking that <paramref name="input"/> is finite: a NaN or an
    /// infinity throws before the cell is touched, so the carried state stays as it was (a plain <c>Step</c> would
    /// make it NaN until <see cref="IUnrolledCell{T}.ResetState"/>). One vectorised pass over InputSize elements;
    /// allocates nothing unless it throws.
    /// </summary>
    /// <typeparam name="T">The cell's element type.</typeparam>
    /// <param name="cell">The cell to step.</param>
    /// <param name="input">x_t: InputSize elements, all finite.</param>
    /// <param name="output">Receives y_t: OutputSize elements.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="input"/> does not hold InputSize elements, or one of them is NaN or infinite (the message
    /// names the element and its value).
    /// </exception>
    /// <remarks>
    /// Only the input is checked: a finite input so large that the cell overflows still leaves a non-finite state;
    /// check <see cref="IUnrolledCell{T}.State"/> with <see cref="NonFiniteGuard.IndexOfNonFinite{T}"/> if that can
    /// happen. <see cref="Training.TbpttTrainer{TCell, T}"/> does both while training.
    /// </remarks>
    public static void StepChecked<T>(this IUnrolledCell<T> cell, ReadOnlySpan<T> input, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        SpanGuard.RequireLength(input.Length, cell.InputSize, nameof(input), "InputSize");
        NonFiniteGuard.RequireFinite(input, nameof(input));
        cell.Step(input, output);
    }

    /// <summary>
    /// Starts a new sequence from a learned initial state: sets the carried state to <paramref name="initialState"/>,
    /// as <see cref="IUnrolledCell{T}.ResetState"/> sets it to zero. Use it at every sequence start of a cell trained
    /// with <see cref="Batching.BatchedTrainerOptions.LearnInitialState"/> or <see cref="Training.TbpttOptions.LearnInitialState"/>,
    /// with the s0 saved beside its parameters (<see cref="Checkpoints.Checkpoint"/>). Allocates nothing.
    /// </summary>
    /// <typeparam name="T">The cell's element type.</typeparam>
    /// <param name="cell">The cell.</param>
    /// <param name="initialState">s0: StateSize elements, the layout of the cell's state.</param>
    /// <exception cref="ArgumentException"><paramref name="initialState"/> does not hold StateSize elements.</exception>
    public static void ResetState<T>(this IUnrolledCell<T> cell, ReadOnlySpan<T> initialState)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(cell);
        SpanGuard.RequireLength(initialState.Length, cell.StateSize, nameof(initialState), "StateSize");
        initialState.CopyTo(cell.State);
    }
}
