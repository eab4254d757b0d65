using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Unicode;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Parses and validates the JSON header of a safetensors file: every entry well formed, every tensor's byte
/// length equal to its element count times its dtype's size, and the tensors tiling the data section exactly
/// (in offset order, from 0, with no gap, no overlap and nothing after the last), as the format requires.
/// </summary>
internal static class SafeTensorsHeader
{
    /// <summary>The key of the optional string-to-string map of a header.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header accepted, as in the reference implementation: 100 MB.</summary>
    public const long MaxLength = 100_000_000;

    /// <summary>Parses <paramref name="json"/>, the header of a file whose data section is <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="CheckpointException">The header is malformed or does not describe the data section.</exception>
    public static (List<SafeTensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(
        ReadOnlyMemory<byte> json, long dataLength, string source)
    {
        // JsonDocument checks the UTF-8 of string values as it parses but that of property names only when read.
        if (!Utf8.IsValid(json.Span))
        {
            throw new CheckpointException($"{source}: the header is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new CheckpointException($"{source}: the header is not valid JSON ({exception.Message}).", innerException: exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException($"{source}: the header is a JSON {document.RootElement.ValueKind}; expected an object of tensors.");
            }

            var tensors = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new CheckpointException($"{source}: the header names '{property.Name}' twice.", property.Name);
                }

                if (property.Name == MetadataKey)
                {
                    ParseMetadata(property.Value, metadata, source);
                }
                else
                {
                    tensors.Add(ParseTensor(property.Name, property.Value, dataLength, source));
                }
            }

            RequireTiling(tensors, dataLength, source);
            return (tensors, metadata);
        }
    }

    private static void ParseMetadata(JsonElement element, Dictionary<string, string> metadata, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException($"{source}: '{MetadataKey}' is a JSON {element.ValueKind}; expected an object of strings.");
        }

        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointException(
                    $"{source}: metadata '{entry.Name}' is a JSON {entry.Value.ValueKind}; expected a string.");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw new CheckpointException($"{source}: metadata '{entry.Name}' appears twice.");
            }
        }
    }

    private static SafeTensorInfo ParseTensor(string name, JsonElement element, long dataLength, string source)
    {
        string where = $"{source}: tensor '{name}'";
        if (name.Length == 0)
        {
            throw new CheckpointException($"{source}: a tensor has an empty name.", name);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException($"{where} is a JSON {element.ValueKind}; expected an object with dtype, shape and data_offsets.", name);
        }

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeElement is null: dtypeElement = field.Value; break;
                case "shape" when shapeElement is null: shapeElement = field.Value; break;
                case "data_offsets" when offsetsElement is null: offsetsElement = field.Value; break;
                default:
                    throw new CheckpointException(
                        $"{where} has an unexpected or repeated field '{field.Name}'; expected exactly dtype, shape and data_offsets.", name);
            }
        }

        if (dtypeElement is not { ValueKind: JsonValueKind.String } dtypeValue)
        {
            throw new CheckpointException($"{where} has no dtype string.", name);
        }

        string dtypeName = dtypeValue.GetString()!;
        if (!SafeTensorsDTypes.TryParse(dtypeName, out var dtype))
        {
            throw new CheckpointException($"{where} has the unknown dtype '{dtypeName}'.", name);
        }

        var shape = ReadIntegers(shapeElement, "shape", expectedCount: null, where, name);
        var offsets = ReadIntegers(offsetsElement, "data_offsets", expectedCount: 2, where, name);
        long begin = offsets[0], end = offsets[1];
        if (begin > end || end > dataLength)
        {
            throw new CheckpointException(
                $"{where} has data_offsets [{begin}, {end}]; expected 0 <= begin <= end <= {dataLength}, the length of the data section.", name);
        }

        var info = new SafeTensorInfo(name, dtype, shape, begin, end);
        long expectedBytes;
        try
        {
            expectedBytes = checked(info.ElementCount * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new CheckpointException($"{where} has the shape {info.ShapeText}, too large for any file.", name);
        }

        if (end - begin != expectedBytes)
        {
            throw new CheckpointException(
                $"{where} has data_offsets [{begin}, {end}] ({end - begin} bytes); expected {expectedBytes} bytes for {dtype} {info.ShapeText}.", name);
        }

        return info;
    }

    private static long[] ReadIntegers(JsonElement? element, string field, int? expectedCount, string where, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array || (expectedCount is int count && array.GetArrayLength() != count))
        {
            string expected = expectedCount is int n ? $"an array of {n} non-negative integers" : "an array of non-negative integers";
            throw new CheckpointException($"{where}: '{field}' is missing or not {expected}.", name);
        }

        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                throw new CheckpointException($"{where}: '{field}' holds {item.GetRawText()}; expected non-negative integers.", name);
            }

            values[i++] = value;
        }

        return values;
    }

    /// <summary>The tensors, in offset order, must cover [0, dataLength) exactly: no gap, no overlap, no trailing bytes.</summary>
    private static void RequireTiling(List<SafeTensorInfo> tensors, long dataLength, string source)
    {
        var ordered = tensors.ToArray();
        Array.Sort(ordered, static (a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
        long position = 0;
        SafeTensorInfo? previous = null;
        foreach (var tensor in ordered)
        {
            if (tensor.DataBegin != position)
            {
                string relation = tensor.DataBegin < position ? "overlaps" : "leaves a gap after";
                string other = previous is null ? "the start of the data section" : $"tensor '{previous.Name}' [{previous.DataBegin}, {previous.DataEnd}]";
                throw new CheckpointException(
                    $"{source}: tensor '{tensor.Name}' at data_offsets [{tensor.DataBegin}, {tensor.DataEnd}] {relation} {other}; expected it to begin at {position}.",
                    tensor.Name);
            }

            position = tensor.DataEnd;
            previous = tensor;
        }

        if (position != dataLength)
        {
            throw new CheckpointException(
                $"{source}: the tensors cover {position} bytes of the data section, but it holds {dataLength} bytes (the file length disagrees with the header).");
        }
    }
}
