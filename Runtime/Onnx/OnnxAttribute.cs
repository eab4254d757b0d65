using System;

namespace UnrolledRnn.Onnx;

/// <summary>A named attribute of an ONNX node: an integer, a float or a constant tensor (exactly one is set).</summary>
public sealed record OnnxAttribute
{
    private OnnxAttribute(string name, long? integer, float? real, OnnxConstant? tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Integer = integer;
        Float = real;
        Tensor = tensor;
    }

    /// <summary>The attribute's name, e.g. "axis" or "value".</summary>
    public string Name { get; }

    /// <summary>The value of an integer attribute (ONNX INT), else null.</summary>
    public long? Integer { get; }

    /// <summary>The value of a float attribute (ONNX FLOAT), else null.</summary>
    public float? Float { get; }

    /// <summary>The value of a tensor attribute (ONNX TENSOR), else null.</summary>
    public OnnxConstant? Tensor { get; }

    /// <summary>An integer attribute, e.g. <c>Concat</c>'s axis.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value, null, null);

    /// <summary>A float attribute, e.g. <c>Gemm</c>'s alpha.</summary>
    public static OnnxAttribute FloatValue(string name, float value) => new(name, null, value, null);

    /// <summary>A tensor attribute, e.g. the value of a <c>Constant</c> node.</summary>
    public static OnnxAttribute TensorValue(string name, OnnxConstant value) =>
        new(name, null, null, value ?? throw new ArgumentNullException(nameof(value)));
}
