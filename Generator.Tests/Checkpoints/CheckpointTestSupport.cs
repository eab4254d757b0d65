using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using UnrolledRnn.Checkpoints;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>A fresh directory under the system's temporary directory, deleted with everything in it.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "unrolledrnn-checkpoints-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The names of the files in the directory, hidden temporary files included.</summary>
    public string[] FileNames() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n).ToArray()!;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// Builds safetensors bytes by hand, entry by entry, so that a test can write what the library's writer never
/// would: other dtypes, wrong shapes, missing or extra tensors, inconsistent offsets.
/// </summary>
public sealed class RawSafeTensors
{
    private readonly List<(string Name, string DType, long[] Shape, byte[] Data)> _entries = new();

    /// <summary>The tensors of <paramref name="cell"/>'s parameters, under PyTorch's names, in its element type.</summary>
    public static RawSafeTensors FromCell<T>(IUnrolledCell<T> cell)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var file = new RawSafeTensors();
        string dtype = SafeTensorsDTypes.Of<T>().ToString();
        foreach (var tensor in cell.ParameterTensors)
        {
            long[] shape = tensor.Role == ParameterRole.Vector ? new long[] { tensor.Rows } : new long[] { tensor.Rows, tensor.Columns };
            var bytes = MemoryMarshal.AsBytes(cell.Parameters.Slice(tensor.Offset, tensor.Length)).ToArray();
            file.Add(CheckpointNames.PyTorch.ToCheckpointName(tensor.Name), dtype, shape, bytes);
        }

        return file;
    }

    public RawSafeTensors Add(string name, string dtype, long[] shape, byte[] data)
    {
        _entries.Add((name, dtype, shape, data));
        return this;
    }

    /// <summary>Replaces a tensor's dtype and shape, with zero bytes of the size they need.</summary>
    public RawSafeTensors Replace(string name, string dtype, long[] shape, int elementSize)
    {
        int index = _entries.FindIndex(e => e.Name == name);
        Assert.True(index >= 0, $"no entry {name}");
        _entries[index] = (name, dtype, shape, new byte[shape.Aggregate(1L, (a, b) => a * b) * elementSize]);
        return this;
    }

    public RawSafeTensors Remove(string name)
    {
        Assert.Equal(1, _entries.RemoveAll(e => e.Name == name));
        return this;
    }

    public byte[] Build()
    {
        var json = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in _entries)
        {
            json.Append(json.Length > 1 ? "," : "")
                .Append($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}}");
            offset += data.Length;
        }

        json.Append('}');
        return Assemble(json.ToString(), _entries.SelectMany(e => e.Data).ToArray());
    }

    /// <summary>The 8-byte little-endian length of <paramref name="json"/>, the header, then <paramref name="data"/>.</summary>
    public static byte[] Assemble(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}

/// <summary>Helpers shared by the checkpoint tests.</summary>
public static class CheckpointAssert
{
    /// <summary>Fills a cell's parameters from a seed: the library's initialisation plus random vectors, so no tensor is all zero.</summary>
    public static void Randomize<T>(IUnrolledCell<T> cell, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        cell.InitializeParameters((ulong)seed);
        var random = new Random(seed);
        foreach (var tensor in cell.ParameterTensors.Where(t => t.Role == ParameterRole.Vector))
        {
            var slice = cell.Parameters.Slice(tensor.Offset, tensor.Length);
            for (int i = 0; i < slice.Length; i++)
            {
                slice[i] = T.CreateChecked(random.NextDouble() - 0.5);
            }
        }
    }

    /// <summary>The bytes of a cell's checkpoint, written to memory.</summary>
    public static byte[] SaveToBytes<T>(IUnrolledCell<T> cell, CheckpointNames? names = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        Checkpoint.Save(cell, stream, names);
        return stream.ToArray();
    }

    public static bool BitIdentical<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged => MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    /// <summary>
    /// Loading <paramref name="bytes"/> into <paramref name="cell"/> throws a <see cref="CheckpointException"/>
    /// and leaves every parameter bit-identical; returns the exception.
    /// </summary>
    public static CheckpointException Rejects<T>(IUnrolledCell<T> cell, byte[] bytes, CheckpointLoadOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var before = cell.Parameters.ToArray();
        var exception = Assert.Throws<CheckpointException>(() => Checkpoint.Load(cell, SafeTensorsFile.Parse(bytes, "test.safetensors"), options: options));
        Assert.True(BitIdentical<T>(before, cell.Parameters), $"A failed load changed the parameters: {exception.Message}");
        return exception;
    }

    /// <summary>The message contains every fragment (ordinal comparison).</summary>
    public static void MessageSays(Exception exception, params string[] fragments)
    {
        foreach (var fragment in fragments)
        {
            Assert.True(exception.Message.Contains(fragment, StringComparison.Ordinal),
                $"Expected the message to contain \"{fragment}\":\n{exception.Message}");
        }
    }
}
