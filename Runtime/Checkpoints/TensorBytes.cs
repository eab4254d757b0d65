using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Little-endian F32/F64 bytes to and from float and double elements, with the one conversion rule of
/// checkpoints: F32 widens to double exactly; F64 narrows to float (rounding to nearest) only when allowed,
/// and never to an infinity from a finite value.
/// </summary>
internal static class TensorBytes
{
    /// <summary>Whether a <paramref name="source"/> tensor may be loaded into elements of type <typeparamref name="T"/>; if not, why.</summary>
    public static string? WhyNotLoadable<T>(SafeTensorsDType source, bool allowPrecisionLoss)
    {
        var target = SafeTensorsDTypes.Of<T>();
        if (source is not (SafeTensorsDType.F32 or SafeTensorsDType.F64))
        {
            return $"has dtype {source}; expected {target} (F32 and F64 are the floating-point types a checkpoint may hold)";
        }

        if (source == SafeTensorsDType.F64 && target == SafeTensorsDType.F32 && !allowPrecisionLoss)
        {
            return "has dtype F64; expected F32 (narrowing F64 to float rounds every value: set AllowPrecisionLoss to accept that)";
        }

        return null;
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> (F32 or F64, already checked loadable) into <paramref name="destination"/>.
    /// Returns the index of the first finite value that narrowing turned infinite, or -1.
    /// </summary>
    public static int Decode<T>(ReadOnlySpan<byte> bytes, SafeTensorsDType source, Span<T> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var floats = MemoryMarshal.Cast<T, float>(destination);
            if (source == SafeTensorsDType.F32)
            {
                for (int i = 0; i < floats.Length; i++)
                {
                    floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
                }

                return -1;
            }

            for (int i = 0; i < floats.Length; i++)
            {
                double value = BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(8 * i));
                floats[i] = (float)value;
                if (float.IsInfinity(floats[i]) && double.IsFinite(value))
                {
                    return i;
                }
            }

            return -1;
        }

        var doubles = MemoryMarshal.Cast<T, double>(destination);
        if (source == SafeTensorsDType.F64)
        {
            for (int i = 0; i < doubles.Length; i++)
            {
                doubles[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(8 * i));
            }
        }
        else
        {
            for (int i = 0; i < doubles.Length; i++)
            {
                doubles[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
            }
        }

        return -1;
    }

    /// <summary>Encodes float or double <paramref name="values"/> as little-endian bytes into <paramref name="destination"/>.</summary>
    public static void Encode<T>(ReadOnlySpan<T> values, Span<byte> destination)
        where T : unmanaged
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }

        if (typeof(T) == typeof(float))
        {
            var floats = MemoryMarshal.Cast<T, float>(values);
            for (int i = 0; i < floats.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(4 * i), floats[i]);
            }
        }
        else
        {
            var doubles = MemoryMarshal.Cast<T, double>(values);
            for (int i = 0; i < doubles.Length; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(destination.Slice(8 * i), doubles[i]);
            }
        }
    }
}
