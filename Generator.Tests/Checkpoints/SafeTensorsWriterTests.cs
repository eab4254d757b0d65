using System;
using System.IO;
using System.Linq;
using UnrolledRnn.Checkpoints;
using Xunit;

namespace UnrolledRnn.Tests.Checkpoints;

/// <summary>The low-level writer: what it accepts, what it refuses, and that the reader reads back what it wrote.</summary>
public sealed class SafeTensorsWriterTests
{
    [Fact]
    public void Tensors_of_any_rank_and_metadata_read_back_exactly()
    {
        var writer = new SafeTensorsWriter();
        writer.Add<double>("scalar", new[] { Math.PI });
        writer.Add<float>("empty", Array.Empty<float>(), 0, 3);
        writer.Add<float>("cube", Enumerable.Range(0, 24).Select(i => i * 0.5f).ToArray(), 2, 3, 4);
        writer.Metadata["note"] = "ünïcode ✓";
        using var stream = new MemoryStream();
        writer.WriteTo(stream);

        var file = SafeTensorsFile.Parse(stream.ToArray());
        Assert.Equal(new[] { "scalar", "empty", "cube" }, file.Tensors.Select(t => t.Name));
        Assert.Empty(file.GetTensor("scalar").Shape);
        Assert.Equal(new[] { Math.PI }, file.ToArray<double>("scalar"));
        Assert.Equal(new long[] { 2, 3, 4 }, file.GetTensor("cube").Shape);
        Assert.Equal(11.5f, file.ToArray<float>("cube")[23]);
        Assert.Equal("ünïcode ✓", file.Metadata["note"]);
        Assert.Equal(3, file.Metadata.Keys.Count(k => k.StartsWith(SafeTensorsFile.ChecksumKeyPrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_shape_that_does_not_hold_the_values_a_taken_name_or_a_reserved_name_is_refused()
    {
        var writer = new SafeTensorsWriter();
        writer.Add<float>("a", new float[6], 2, 3);
        CheckpointAssert.MessageSays(Assert.Throws<ArgumentException>(() => writer.Add<float>("b", new float[6], 4, 2)),
            "Tensor 'b': the shape [4, 2] holds 8 elements, but 6 values were given.");
        Assert.Throws<ArgumentException>(() => writer.Add<float>("a", new float[1], 1));
        Assert.Throws<ArgumentException>(() => writer.Add<float>("__metadata__", new float[1], 1));
        Assert.Throws<ArgumentException>(() => writer.Add<float>("", new float[1], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add<float>("c", new float[1], -1));
        Assert.Throws<NotSupportedException>(() => writer.Add<int>("d", new int[1], 1));
        writer.Add<float>("b", new float[6], 3, 2); // the refused attempts did not take the name
    }

    [Fact]
    public void A_reader_of_the_wrong_element_count_is_refused()
    {
        var writer = new SafeTensorsWriter();
        writer.Add<float>("a", new float[6], 2, 3);
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        var file = SafeTensorsFile.Parse(stream.ToArray(), "small.safetensors");
        var exception = Assert.Throws<CheckpointException>(() => file.CopyTo<float>("a", new float[5]));
        CheckpointAssert.MessageSays(exception, "small.safetensors: tensor 'a' has 6 elements (F32 [2, 3]); expected 5.");
        CheckpointAssert.MessageSays(Assert.Throws<CheckpointException>(() => file.GetTensor("b")), "there is no tensor 'b'");
    }
}
