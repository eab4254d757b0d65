using System;

namespace UnrolledRnn.Checkpoints;

/// <summary>Names and element sizes of the <see cref="SafeTensorsDType"/> values.</summary>
public static class SafeTensorsDTypes
{
    /// <summary>The number of bytes of one element.</summary>
    /// <param name="dtype">The element type.</param>
    public static int ElementSize(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.BOOL or SafeTensorsDType.U8 or SafeTensorsDType.I8
            or SafeTensorsDType.F8_E5M2 or SafeTensorsDType.F8_E4M3 => 1,
        SafeTensorsDType.I16 or SafeTensorsDType.U16 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.I32 or SafeTensorsDType.U32 or SafeTensorsDType.F32 => 4,
        SafeTensorsDType.F64 or SafeTensorsDType.I64 or SafeTensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>Parses a header's dtype string; the spelling must be exact (upper case, as written by the format).</summary>
    /// <param name="name">The string, e.g. "F32".</param>
    /// <param name="dtype">The parsed type, when the result is true.</param>
    public static bool TryParse(string name, out SafeTensorsDType dtype)
    {
        // Enum.TryParse would also accept numbers ("11") and other casings; the format allows neither.
        foreach (SafeTensorsDType candidate in Enum.GetValues<SafeTensorsDType>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>The dtype of a floating-point element type: <see cref="SafeTensorsDType.F32"/> for float, <see cref="SafeTensorsDType.F64"/> for double.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is another type.</exception>
    public static SafeTensorsDType Of<T>()
    {
        if (typeof(T) == typeof(float))
        {
            return SafeTensorsDType.F32;
        }

        if (typeof(T) == typeof(double))
        {
            return SafeTensorsDType.F64;
        }

        throw new NotSupportedException($"Checkpoints hold float (F32) or double (F64) elements, not {typeof(T).Name}.");
    }
}
