using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using UnrolledRnn.Onnx.Proto;

namespace UnrolledRnn.Onnx;

/// <summary>The protobuf tensors and typed values of a model, in the cell's element type (ONNX FLOAT or DOUBLE).</summary>
internal static class OnnxTensors
{
    /// <summary>The ONNX data type of <typeparamref name="T"/>.</summary>
    public static int DataType<T>() => typeof(T) == typeof(float) ? (int)TensorProto.Types.DataType.Float
        : typeof(T) == typeof(double) ? (int)TensorProto.Types.DataType.Double
        : throw new NotSupportedException($"ONNX export writes float and double cells, not {typeof(T).Name}.");

    /// <summary>A named tensor holding <paramref name="values"/> (little-endian raw data, row-major).</summary>
    public static TensorProto Tensor<T>(string name, ReadOnlySpan<T> values, IEnumerable<long> dimensions)
        where T : unmanaged
    {
        var tensor = new TensorProto { Name = name, DataType = DataType<T>(), RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(dimensions);
        return tensor;
    }

    /// <summary>The tensor of a description's constant: int64, or real in the element type <typeparamref name="T"/>.</summary>
    public static TensorProto Constant<T>(OnnxConstant constant)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (constant.Integers is { } integers)
        {
            var tensor = new TensorProto
            {
                DataType = (int)TensorProto.Types.DataType.Int64,
                RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes<long>(integers.ToArray())),
            };
            tensor.Dims.AddRange(constant.Dimensions);
            return tensor;
        }

        var reals = constant.Reals!.Select(T.CreateChecked).ToArray();
        return Tensor<T>("", reals, constant.Dimensions);
    }

    /// <summary>A tensor value of the element type <typeparamref name="T"/> and the given shape; a null dimension is the symbolic length "T".</summary>
    public static ValueInfoProto Value<T>(string name, params long?[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (long? dimension in dimensions)
        {
            shape.Dim.Add(dimension is long value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = "T" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataType<T>(), Shape = shape } },
        };
    }
}
