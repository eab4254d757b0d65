using System.Linq;
using UnrolledRnn.Onnx;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>A description is data with value equality, as the generator's pipeline needs: two built alike are equal.</summary>
public sealed class OnnxStepGraphTests
{
    [Fact]
    public void Descriptions_built_alike_are_equal_and_hash_alike()
    {
        var a = StepGraphs.Lstm(3, 5, 2);
        var b = StepGraphs.Lstm(3, 5, 2);
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Descriptions_that_differ_anywhere_are_not_equal()
    {
        var a = StepGraphs.Lstm(3, 5, 2);
        Assert.NotEqual(a, StepGraphs.Lstm(3, 5, 2, candidateActivation: "Sigmoid"));
        Assert.NotEqual(a, StepGraphs.Lstm(3, 6, 2));
        // A slice bound, deep inside a Constant node's tensor attribute.
        var shifted = a with { Nodes = a.Nodes.Select(n => n.Name == "gates[0..5].ends" ? OnnxNode.Constant(n.Name, OnnxConstant.Int64Vector(4)) : n).ToArray() };
        Assert.NotEqual(a, shifted);
    }
}
