using System.Linq;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>A description is data with value equality: two built alike are equal, and any difference makes them unequal.</summary>
public sealed class OnnxStepGraphTests
{
    [Fact]
    public void Descriptions_built_alike_are_equal_and_hash_alike()
    {
        var a = new TorchLstmLargeF32().OnnxStepGraph;
        // A copy of every list and node: equal by value, not by reference.
        var b = a with { Inputs = a.Inputs.ToArray(), States = a.States.ToArray(), Outputs = a.Outputs.ToArray(), Parameters = a.Parameters.ToArray(),
            Nodes = a.Nodes.Select(n => n with { Inputs = n.Inputs.ToArray(), Attributes = n.Attributes.ToArray() }).ToArray() };
        Assert.NotSame(a.Nodes, b.Nodes);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        // The same equations in double: one description serves both element types.
        Assert.Equal(a, new TorchLstmLargeF64().OnnxStepGraph);
    }

    [Fact]
    public void Descriptions_that_differ_anywhere_are_not_equal()
    {
        var a = new TorchLstmLargeF32().OnnxStepGraph;
        Assert.NotEqual(a, a with { Nodes = a.Nodes.Select(n => n.Name == "g" ? n with { OpType = "Sigmoid" } : n).ToArray() });
        Assert.NotEqual(a, a with { States = new[] { a.States[0], a.States[1] with { Size = 33 } } });
        // An attribute (the gate blocks' Split along another axis), and a doc string alone.
        Assert.Contains(a.Nodes, n => n.OpType == "Split");
        Assert.NotEqual(a, a with { Nodes = a.Nodes.Select(n => n.OpType == "Split" ? n with { Attributes = new[] { OnnxAttribute.Int("axis", 0) } } : n).ToArray() });
        Assert.NotEqual(a, a with { Nodes = a.Nodes.Select(n => n.Name == "g" ? n with { DocString = "g = sigmoid(gates[(2 * H)..(3 * H)])" } : n).ToArray() });
        // A constant's value, deep inside a Constant node's tensor attribute.
        var constant = OnnxNode.Constant("one", OnnxConstant.RealScalar(1));
        Assert.NotEqual(a with { Nodes = a.Nodes.Append(constant).ToArray() },
            a with { Nodes = a.Nodes.Append(OnnxNode.Constant("one", OnnxConstant.RealScalar(0.5))).ToArray() });
    }
}
