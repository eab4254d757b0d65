using System;
using System.Numerics;

namespace UnrolledRnn;

/// <summary>Checked variants of the members every generated cell offers through <see cref="IUnrolledCell{T}"/>.</summary>
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
}
