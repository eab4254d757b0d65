using System;

namespace UnrolledRnn.Onnx;

/// <summary>Which ONNX models <see cref="OnnxExportExtensions.ExportOnnx{T}"/> writes; combine them with <c>|</c>.</summary>
[Flags]
public enum OnnxExport
{
    /// <summary>
    /// One streaming step, written to <c>{stem}.step.onnx</c>: inputs x_t and each carried state s_{t-1};
    /// outputs y_t and each new state s_t.
    /// </summary>
    Step = 1,

    /// <summary>
    /// A whole sequence, written to <c>{stem}.sequence.onnx</c>: an ONNX <c>Scan</c> whose body is the step;
    /// inputs the initial states and each input sequence [T, size]; outputs the final states and each output
    /// sequence [T, size].
    /// </summary>
    Sequence = 2,
}
