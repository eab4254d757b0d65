using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Security.Cryptography;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// A safetensors file read into memory and validated: the 8-byte little-endian header length, the JSON header
/// (every tensor's dtype, shape and data_offsets), the tensors tiling the data section exactly, the file length,
/// and, when the header's metadata records them (as every file this library writes does), each tensor's SHA-256.
/// Reading throws a <see cref="CheckpointException"/> naming the problem on any mismatch.
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>The metadata key prefix of a tensor's checksum: "unrolledrnn.sha256." followed by the tensor's name.</summary>
    public const string ChecksumKeyPrefix = "unrolledrnn.sha256.";

    private readonly ReadOnlyMemory<byte> _data;
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    private SafeTensorsFile(string source, List<SafeTensorInfo> tensors, Dictionary<string, string> metadata, ReadOnlyMemory<byte> data)
    {
        Source = source;
        Tensors = tensors;
        Metadata = metadata;
        _data = data;
        _byName = new Dictionary<string, SafeTensorInfo>(tensors.Count, StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            _byName.Add(tensor.Name, tensor);
        }
    }

    /// <summary>Where the bytes came from (a path), as the error messages name it.</summary>
    public string Source { get; }

    /// <summary>Every tensor, in the order of the header.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The header's "__metadata__" map (empty when there is none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="CheckpointException">The file is not a well-formed safetensors file.</exception>
    /// <exception cref="IOException">The file cannot be read: it does not exist, it is a directory, ... (the
    /// message names <paramref name="path"/> and what is wrong with it; the original error is the inner exception).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static SafeTensorsFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception error) when (PathErrors.Explains(error))
        {
            throw PathErrors.ForLoad(path, error);
        }

        return Parse(bytes, path);
    }

    /// <summary>Validates the bytes of a whole safetensors file; the result refers to them without copying.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="source">What to call the file in error messages.</param>
    /// <exception cref="CheckpointException">The bytes are not a well-formed safetensors file.</exception>
    public static SafeTensorsFile Parse(ReadOnlyMemory<byte> bytes, string source = "checkpoint")
    {
        if (bytes.Length < sizeof(ulong))
        {
            throw new CheckpointException(
                $"{source}: the file is {bytes.Length} bytes long; expected at least 8 (the little-endian header length) and a JSON header.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Span);
        long available = bytes.Length - sizeof(ulong);
        if (headerLength > (ulong)available)
        {
            throw new CheckpointException(
                $"{source}: the header length is {headerLength} bytes, but only {available} bytes follow it (the file is truncated or the length is corrupt).");
        }

        if (headerLength > SafeTensorsHeader.MaxLength)
        {
            throw new CheckpointException($"{source}: the header length is {headerLength} bytes; at most {SafeTensorsHeader.MaxLength} are accepted.");
        }

        if (headerLength < 2 || bytes.Span[sizeof(ulong)] != (byte)'{')
        {
            throw new CheckpointException($"{source}: the header of {headerLength} bytes does not start with '{{'; expected a JSON object.");
        }

        var header = bytes.Slice(sizeof(ulong), (int)headerLength);
        var data = bytes.Slice(sizeof(ulong) + (int)headerLength);
        var (tensors, metadata) = SafeTensorsHeader.Parse(header, data.Length, source);
        var file = new SafeTensorsFile(source, tensors, metadata, data);
        file.VerifyChecksums();
        return file;
    }

    /// <summary>Finds a tensor by name.</summary>
    /// <param name="name">The tensor's name in the file.</param>
    /// <param name="tensor">The tensor, when found.</param>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out SafeTensorInfo? tensor) => _byName.TryGetValue(name, out tensor);

    /// <summary>Finds a tensor by name, or throws a <see cref="CheckpointException"/> naming it.</summary>
    /// <param name="name">The tensor's name in the file.</param>
    public SafeTensorInfo GetTensor(string name) =>
        _byName.TryGetValue(name, out var tensor)
            ? tensor
            : throw new CheckpointException($"{Source}: there is no tensor '{name}'.", name);

    /// <summary>The raw little-endian bytes of <paramref name="tensor"/>, a tensor of this file.</summary>
    /// <param name="tensor">A tensor from <see cref="Tensors"/>.</param>
    public ReadOnlySpan<byte> GetBytes(SafeTensorInfo tensor) =>
        _data.Span.Slice((int)tensor.DataBegin, (int)(tensor.DataEnd - tensor.DataBegin));

    /// <summary>
    /// Copies the tensor <paramref name="name"/> into <paramref name="destination"/>, whose length must be its
    /// element count, converting by the checkpoint rule: F32 into double exactly; F64 into float, rounding to
    /// nearest, only with <paramref name="allowPrecisionLoss"/>; no other dtype.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The tensor's name.</param>
    /// <param name="destination">Receives the elements, row-major.</param>
    /// <param name="allowPrecisionLoss">Whether F64 may be rounded to float.</param>
    /// <exception cref="CheckpointException">The tensor is missing, has another element count, or a dtype that cannot be converted.</exception>
    public void CopyTo<T>(string name, Span<T> destination, bool allowPrecisionLoss = false)
        where T : unmanaged
    {
        var tensor = GetTensor(name);
        if (tensor.ElementCount != destination.Length)
        {
            throw new CheckpointException(
                $"{Source}: tensor '{name}' has {tensor.ElementCount} elements ({tensor.DType} {tensor.ShapeText}); expected {destination.Length}.", name);
        }

        if (TensorBytes.WhyNotLoadable<T>(tensor.DType, allowPrecisionLoss) is string reason)
        {
            throw new CheckpointException($"{Source}: tensor '{name}' {reason}.", name);
        }

        int overflow = TensorBytes.Decode(GetBytes(tensor), tensor.DType, destination);
        if (overflow >= 0)
        {
            throw new CheckpointException($"{Source}: tensor '{name}' element {overflow} is finite in F64 but too large for float.", name);
        }
    }

    /// <summary>The tensor <paramref name="name"/> as a new array, converted as by <see cref="CopyTo{T}"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="name">The tensor's name.</param>
    /// <param name="allowPrecisionLoss">Whether F64 may be rounded to float.</param>
    public T[] ToArray<T>(string name, bool allowPrecisionLoss = false)
        where T : unmanaged
    {
        var values = new T[checked((int)GetTensor(name).ElementCount)];
        CopyTo<T>(name, values, allowPrecisionLoss);
        return values;
    }

    /// <summary>
    /// Every checksum in the metadata must name a tensor of the file and match its bytes; and a file with any
    /// checksum must have one for every tensor (so a corrupted checksum key cannot silently drop its check).
    /// </summary>
    private void VerifyChecksums()
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        int verified = 0;
        foreach (var (key, value) in Metadata)
        {
            if (!key.StartsWith(ChecksumKeyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string name = key.Substring(ChecksumKeyPrefix.Length);
            if (!_byName.TryGetValue(name, out var tensor))
            {
                throw new CheckpointException($"{Source}: the metadata holds a checksum of tensor '{name}', which the header does not describe.", name);
            }

            SHA256.HashData(GetBytes(tensor), hash);
            if (!string.Equals(Convert.ToHexStringLower(hash), value, StringComparison.Ordinal))
            {
                throw new CheckpointException(
                    $"{Source}: the data of tensor '{name}' does not match the SHA-256 recorded in the header (the file is corrupt).", name);
            }

            verified++;
        }

        if (verified > 0 && verified != Tensors.Count)
        {
            foreach (var tensor in Tensors)
            {
                if (!Metadata.ContainsKey(ChecksumKeyPrefix + tensor.Name))
                {
                    throw new CheckpointException(
                        $"{Source}: tensor '{tensor.Name}' has no SHA-256 in the metadata, though other tensors have one (the header is corrupt).", tensor.Name);
                }
            }
        }
    }
}
