using System;
using System.Collections.Generic;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// A cell written by hand around a generated one, as a user's decorator might be: it forwards every member but does not
/// describe its step as ONNX nodes, so the export refuses it.
/// </summary>
public sealed class WrappedCell(IUnrolledCell<float> inner) : IUnrolledCell<float>
{
    public int InputSize => inner.InputSize;

    public int OutputSize => inner.OutputSize;

    public int StateSize => inner.StateSize;

    public int ParameterCount => inner.ParameterCount;

    public int TruncationLength => inner.TruncationLength;

    public Span<float> Parameters => inner.Parameters;

    public Span<float> Gradients => inner.Gradients;

    public Span<float> State => inner.State;

    public IReadOnlyList<ParameterTensor> ParameterTensors => inner.ParameterTensors;

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs) => inner.Forward(inputs, outputs);

    public void Backward(ReadOnlySpan<float> outputGradients, ReadOnlySpan<float> finalStateGradient, Span<float> initialStateGradient, Span<float> stateAdjointNorms) =>
        inner.Backward(outputGradients, finalStateGradient, initialStateGradient, stateAdjointNorms);

    public void Step(ReadOnlySpan<float> input, Span<float> output) => inner.Step(input, output);

    public void ResetState() => inner.ResetState();

    public void ZeroGradients() => inner.ZeroGradients();

    public void InitializeParameters(ulong seed) => inner.InitializeParameters(seed);
}
