using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Builds a safetensors file: add tensors (copied as they are added) and metadata, then write it to a stream or,
/// atomically, to a path. The header lists the tensors in the order added, records each tensor's SHA-256 in the
/// metadata (under <see cref="SafeTensorsFile.ChecksumKeyPrefix"/> + name), and is padded with spaces so that
/// the data section starts at a multiple of 8 bytes.
/// </summary>
public sealed class SafeTensorsWriter
{
    private readonly List<SafeTensorInfo> _tensors = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _checksums = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _data = new();

    /// <summary>
    /// The header's "__metadata__" map: free-form strings. The tensors' checksums are added when the file is
    /// written; keys starting with <see cref="SafeTensorsFile.ChecksumKeyPrefix"/> are reserved for them and skipped.
    /// </summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Adds a float (F32) or double (F64) tensor, copying <paramref name="values"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">A name not yet added, neither empty nor "__metadata__".</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="shape">The dimensions, outermost first, whose product is the number of values; none for a scalar.</param>
    /// <exception cref="ArgumentException">The name is taken or reserved, or the shape does not match the values.</exception>
    public void Add<T>(string name, ReadOnlySpan<T> values, params ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        var dtype = SafeTensorsDTypes.Of<T>();
        ArgumentException.ThrowIfNullOrEmpty(name);
        var dimensions = new long[shape.Length];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(shape[i], nameof(shape));
            dimensions[i] = shape[i];
            count = checked(count * shape[i]);
        }

        if (count != values.Length)
        {
            throw new ArgumentException(
                $"Tensor '{name}': the shape {SafeTensorInfo.FormatShape(dimensions)} holds {count} elements, but {values.Length} values were given.", nameof(shape));
        }

        if (name == SafeTensorsHeader.MetadataKey || !_names.Add(name))
        {
            throw new ArgumentException($"The tensor name '{name}' is reserved or already added.", nameof(name));
        }

        int byteCount = values.Length * dtype.ElementSize();
        long begin = _data.WrittenCount;
        var destination = _data.GetSpan(byteCount).Slice(0, byteCount);
        TensorBytes.Encode(values, destination);
        _checksums.Add(name, Convert.ToHexStringLower(SHA256.HashData(destination)));
        _data.Advance(byteCount);
        _tensors.Add(new SafeTensorInfo(name, dtype, dimensions, begin, begin + byteCount));
    }

    /// <summary>Writes the file: the header length, the header, the data.</summary>
    /// <param name="stream">A writable stream, left open.</param>
    public void WriteTo(Stream stream)
    {
        var header = BuildHeader();
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        stream.Write(_data.WrittenSpan);
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> atomically: to a temporary file in the same directory, flushed to
    /// disk, then renamed over <paramref name="path"/>. A failure at any point leaves an existing file at
    /// <paramref name="path"/> as it was and removes the temporary file.
    /// </summary>
    /// <param name="path">The checkpoint's path; its directory must exist.</param>
    /// <exception cref="IOException">The file cannot be written (the message names <paramref name="path"/> and what is wrong with it).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes.</summary>
    private byte[] BuildHeader()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(SafeTensorsHeader.MetadataKey);
            foreach (var (key, value) in Metadata)
            {
                if (!key.StartsWith(SafeTensorsFile.ChecksumKeyPrefix, StringComparison.Ordinal))
                {
                    json.WriteString(key, value);
                }
            }

            foreach (var tensor in _tensors)
            {
                json.WriteString(SafeTensorsFile.ChecksumKeyPrefix + tensor.Name, _checksums[tensor.Name]);
            }

            json.WriteEndObject();
            foreach (var tensor in _tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToString());
                json.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(tensor.DataBegin);
                json.WriteNumberValue(tensor.DataEnd);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
