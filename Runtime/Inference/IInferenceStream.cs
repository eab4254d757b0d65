using System;
using System.Numerics;

namespace UnrolledRnn.Inference;

/// <summary>
/// One stream of inference steps over a prepared snapshot (<see cref="IInferenceWeights{T}"/>): its own carried state,
/// nothing recorded. Not thread-safe; streams of one snapshot may step on different threads at once.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IInferenceStream<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements of the input at one step.</summary>
    int InputSize { get; }

    /// <summary>Elements of the output at one step.</summary>
    int OutputSize { get; }

    /// <summary>The carried state, laid out as the cell's State.</summary>
    Span<T> State { get; }

    /// <summary>One step from the carried state: <paramref name="input"/> x_t, <paramref name="output"/> receives y_t.</summary>
    void Step(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Sets the carried state to zero.</summary>
    void Reset();
}
