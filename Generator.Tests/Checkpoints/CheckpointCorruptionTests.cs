using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Tests.Cells;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>
/// Broken files: every truncation, every single-bit flip of the header and of its length, every corrupted data
/// byte, and hand-made headers with each kind of inconsistency. Each is rejected with a
/// <see cref="CheckpointException"/> that says what is wrong, and the cell's parameters stay bit-identical.
/// </summary>
public sealed class CheckpointCorruptionTests
{
    private readonly ITestOutputHelper _output;

    public CheckpointCorruptionTests(ITestOutputHelper output) => _output = output;

    /// <summary>A small float LSTM checkpoint (212 parameters), and a cell holding other values to load it into.</summary>
    private static (byte[] Bytes, TorchLstmSmallF32 Source, TorchLstmSmallF32 Target) Setup()
    {
        var source = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(source, seed: 1);
        var target = new TorchLstmSmallF32();
        CheckpointAssert.Randomize(target, seed: 2);
        return (CheckpointAssert.SaveToBytes(source), source, target);
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        var (bytes, _, target) = Setup();
        for (int length = 0; length < bytes.Length; length++)
        {
            CheckpointAssert.Rejects(target, bytes.AsSpan(0, length).ToArray());
        }

        _output.WriteLine($"{bytes.Length} truncations of a {bytes.Length}-byte file rejected");
    }

    [Fact]
    public void Truncated_files_on_disk_are_rejected_with_the_path_in_the_message()
    {
        using var directory = new TemporaryDirectory();
        var (bytes, _, target) = Setup();
        var before = target.Parameters.ToArray();
        string path = directory.File("truncated.safetensors");
        foreach (int length in new[] { 0, 7, 8, 100, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes.AsSpan(0, length).ToArray());
            var exception = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, path));
            CheckpointAssert.MessageSays(exception, path);
            Assert.True(CheckpointAssert.BitIdentical<float>(before, target.Parameters));
        }
    }

    [Fact]
    public void Short_files_and_impossible_header_lengths_say_so()
    {
        var (bytes, _, target) = Setup();
        CheckpointAssert.MessageSays(CheckpointAssert.Rejects(target, new byte[5]), "5 bytes long; expected at least 8");

        var tooLong = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(tooLong, (ulong)bytes.Length);
        CheckpointAssert.MessageSays(CheckpointAssert.Rejects(target, tooLong), $"the header length is {bytes.Length} bytes, but only {bytes.Length - 8} bytes follow it");

        var huge = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, ulong.MaxValue);
        CheckpointAssert.MessageSays(CheckpointAssert.Rejects(target, huge), $"the header length is {ulong.MaxValue} bytes");
    }

    [Fact]
    public void Every_bit_flip_in_the_header_length_is_rejected()
    {
        var (bytes, _, target) = Setup();
        for (int bit = 0; bit < 64; bit++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[bit / 8] ^= (byte)(1 << (bit % 8));
            CheckpointAssert.Rejects(target, corrupt);
        }
    }

    /// <summary>
    /// Every single-bit flip of every header byte is rejected, except flips inside the free-form "format" entry
    /// (key or value), which no load reads, and inside the cell type's key, which leaves a file without the
    /// record: those load exactly the saved parameters. A flipped cell type value names another cell type and is
    /// rejected; a flipped checksum key is caught too (a file with checksums must have one for every tensor).
    /// </summary>
    [Fact]
    public void Every_bit_flip_in_the_header_is_rejected_or_harmless()
    {
        var (bytes, source, target) = Setup();
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var harmless = new[] { EntryRange(header, "format"), KeyRange(header, Checkpoint.CellTypeKey) };

        int rejected = 0, accepted = 0;
        for (int index = 8; index < 8 + headerLength; index++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                var corrupt = (byte[])bytes.Clone();
                corrupt[index] ^= (byte)(1 << bit);
                var before = target.Parameters.ToArray();
                try
                {
                    Checkpoint.Load(target, SafeTensorsFile.Parse(corrupt, "flipped.safetensors"));
                }
                catch (CheckpointException)
                {
                    rejected++;
                    Assert.True(CheckpointAssert.BitIdentical<float>(before, target.Parameters));
                    continue;
                }

                accepted++;
                int offset = index - 8;
                Assert.True(harmless.Any(r => offset > r.Start && offset < r.End),
                    $"Flipping bit {bit} of header byte {offset} ('{header[offset]}') was accepted.");
                Assert.True(CheckpointAssert.BitIdentical<float>(source.Parameters, target.Parameters),
                    $"Flipping bit {bit} of header byte {offset} loaded other parameters.");
                CheckpointAssert.Randomize(target, seed: 2);
            }
        }

        _output.WriteLine($"{rejected + accepted} single-bit flips of a {headerLength}-byte header: {rejected} rejected, " +
                          $"{accepted} accepted inside the \"format\" entry and the cell type's key, each loading exactly the saved parameters.");
        Assert.True(rejected > 0);

        // From the key's opening quote to the value's closing quote.
        static (int Start, int End) EntryRange(string header, string key)
        {
            int start = header.IndexOf($"\"{key}\":\"", StringComparison.Ordinal);
            return (start, header.IndexOf('"', start + key.Length + 4));
        }

        // The key's two quotes.
        static (int Start, int End) KeyRange(string header, string key)
        {
            int start = header.IndexOf($"\"{key}\":\"", StringComparison.Ordinal);
            return (start, start + key.Length + 1);
        }
    }

    [Fact]
    public void Every_corrupted_data_byte_is_caught_by_its_tensors_checksum()
    {
        var (bytes, _, target) = Setup();
        var file = SafeTensorsFile.Parse(bytes);
        int dataStart = bytes.Length - (int)file.Tensors.Max(t => t.DataEnd);
        for (int index = dataStart; index < bytes.Length; index++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[index] ^= 0x10;
            var exception = CheckpointAssert.Rejects(target, corrupt);
            var owner = file.Tensors.Single(t => index - dataStart >= t.DataBegin && index - dataStart < t.DataEnd);
            Assert.Equal(owner.Name, exception.TensorName);
            CheckpointAssert.MessageSays(exception, $"the data of tensor '{owner.Name}' does not match the SHA-256");
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Hand-made headers, one inconsistency each. Data: 16 bytes unless stated.

    [Theory]
    [InlineData("not json", "the header of 8 bytes does not start with '{'")]
    [InlineData("{\"a\":", "the header is not valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}x", "the header is not valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[16,16]}}", "names 'a' twice")]
    [InlineData("{\"a\":[1,2]}", "tensor 'a' is a JSON Array; expected an object")]
    [InlineData("{\"a\":{\"dtype\":\"F31\",\"shape\":[4],\"data_offsets\":[0,16]}}", "tensor 'a' has the unknown dtype 'F31'")]
    [InlineData("{\"a\":{\"dtype\":\"f32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "tensor 'a' has the unknown dtype 'f32'")]
    [InlineData("{\"a\":{\"shape\":[4],\"data_offsets\":[0,16]}}", "tensor 'a' has no dtype string")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,16]}}", "tensor 'a': 'shape' is missing or not an array")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4]}}", "tensor 'a': 'data_offsets' is missing or not an array of 2")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16],\"extra\":1}}", "tensor 'a' has an unexpected or repeated field 'extra'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", "tensor 'a': 'shape' holds -4; expected non-negative integers")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4.5],\"data_offsets\":[0,16]}}", "tensor 'a': 'shape' holds 4.5")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"4\"],\"data_offsets\":[0,16]}}", "tensor 'a': 'shape' holds \"4\"")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16,32]}}", "'data_offsets' is missing or not an array of 2")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,20]}}", "tensor 'a' has data_offsets [0, 20]; expected 0 <= begin <= end <= 16")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,0]}}", "tensor 'a' has data_offsets [16, 0]; expected 0 <= begin <= end")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", "tensor 'a' has data_offsets [0, 16] (16 bytes); expected 12 bytes for F32 [3]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", "tensor 'b' at data_offsets [4, 12] overlaps tensor 'a' [0, 8]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", "tensor 'b' at data_offsets [12, 16] leaves a gap after tensor 'a' [0, 8]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'b' at data_offsets [0, 8] overlaps tensor 'a' [0, 8]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "the tensors cover 8 bytes of the data section, but it holds 16 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"__metadata__\":[]}", "'__metadata__' is a JSON Array")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"__metadata__\":{\"k\":1}}", "metadata 'k' is a JSON Number; expected a string")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"__metadata__\":{\"unrolledrnn.sha256.b\":\"00\"}}", "the metadata holds a checksum of tensor 'b', which the header does not describe")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"__metadata__\":{\"unrolledrnn.sha256.a\":\"00\"}}", "the data of tensor 'a' does not match the SHA-256")]
    [InlineData("{\"\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "a tensor has an empty name")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904, 4],\"data_offsets\":[0,16]}}", "too large for any file")]
    public void A_malformed_header_is_rejected_with_the_reason(string json, string expected)
    {
        var exception = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Parse(RawSafeTensors.Assemble(json, new byte[16]), "crafted.safetensors"));
        CheckpointAssert.MessageSays(exception, "crafted.safetensors: ", expected);
    }

    [Fact]
    public void A_file_with_checksums_must_have_one_for_every_tensor()
    {
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[8]));
        var bytes = RawSafeTensors.Assemble(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
            + $"\"__metadata__\":{{\"unrolledrnn.sha256.a\":\"{hash}\"}}}}", new byte[16]);
        var exception = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Parse(bytes, "crafted.safetensors"));
        Assert.Equal("b", exception.TensorName);
        CheckpointAssert.MessageSays(exception, "tensor 'b' has no SHA-256 in the metadata, though other tensors have one");
    }

    [Fact]
    public void A_well_formed_hand_made_header_with_zero_length_tensors_and_a_scalar_is_accepted()
    {
        var file = SafeTensorsFile.Parse(RawSafeTensors.Assemble(
            "{\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]},\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
            + "\"i\":{\"dtype\":\"I16\",\"shape\":[4],\"data_offsets\":[0,8]}}   ", new byte[16]));
        Assert.Equal(new[] { "s", "e", "i" }, file.Tensors.Select(t => t.Name));
        Assert.Equal(1, file.GetTensor("s").ElementCount);
        Assert.Empty(file.ToArray<float>("e"));
    }
}
