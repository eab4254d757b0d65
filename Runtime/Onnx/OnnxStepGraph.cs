using System;
using System.Collections.Generic;

namespace UnrolledRnn.Onnx;

/// <summary>
/// A cell's one-step graph as ONNX nodes, independent of the element type: what the exporter turns into the
/// step model and into the body of the sequence model's <c>Scan</c>. Every value is a row [1, n] (a batch of one); a
/// parameter is a matrix [rows, columns] or a vector [rows], as in the checkpoints. Equality is by value,
/// list by list.
/// </summary>
/// <param name="Inputs">The cell's inputs, in declaration order (their concatenation is <c>Step</c>'s input).</param>
/// <param name="States">The carried states, in the order of the cell's <c>State</c>.</param>
/// <param name="Outputs">The cell's outputs, in declaration order (their concatenation is <c>Step</c>'s output).</param>
/// <param name="Parameters">The cell's parameter names, in the order of its <c>ParameterTensors</c>; their checkpoint names and shapes come from the cell at export.</param>
/// <param name="Nodes">The nodes, each after the nodes whose outputs it reads.</param>
public sealed record OnnxStepGraph(IReadOnlyList<OnnxValue> Inputs, IReadOnlyList<OnnxState> States, IReadOnlyList<OnnxValue> Outputs,
    IReadOnlyList<string> Parameters, IReadOnlyList<OnnxNode> Nodes)
{
    /// <summary>
    /// The ONNX operator-set version the models import (default domain): 17, from ONNX 1.12 (June 2022), which
    /// ONNX Runtime implements from its release 1.12 on. Chosen conservatively: every operator the exporter writes
    /// exists there in the form it uses.
    /// </summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version the models declare: 8, the one that goes with opset 17.</summary>
    public const int IrVersion = 8;

    /// <inheritdoc/>
    public bool Equals(OnnxStepGraph? other) =>
        other is not null && Sequences.Equal(Inputs, other.Inputs) && Sequences.Equal(States, other.States)
        && Sequences.Equal(Outputs, other.Outputs) && Sequences.Equal(Parameters, other.Parameters) && Sequences.Equal(Nodes, other.Nodes);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Sequences.Hash(Inputs), Sequences.Hash(States), Sequences.Hash(Outputs), Sequences.Hash(Parameters), Sequences.Hash(Nodes));
}
