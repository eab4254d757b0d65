using System.Collections.Generic;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Graph;

internal enum NodeKind
{
    /// <summary>An input x_t (a leaf; receives no adjoint).</summary>
    Input,

    /// <summary>A recurrent vector's previous value s_{t-1} (a leaf; its adjoint leaves the step).</summary>
    Previous,

    /// <summary>A vector parameter (a leaf; its adjoint accumulates into the gradient).</summary>
    ParameterVector,

    /// <summary>W * v, with W a matrix parameter.</summary>
    MatVec,

    /// <summary>Wᵀ v, with W a matrix parameter: always stored (never fused into a sum), its operand of length W's rows.</summary>
    TransposedMatVec,

    /// <summary>The element-wise sum of its children (nested sums are flattened).</summary>
    Sum,

    /// <summary>The element-wise product of its two children.</summary>
    Multiply,

    /// <summary>The element-wise quotient of its two children, numerator first; always stored, as its derivative reads it.</summary>
    Divide,

    /// <summary>The element-wise max(a, b) of its two children; its derivative compares them (ties split the adjoint).</summary>
    Maximum,

    /// <summary>The element-wise min(a, b) of its two children; its derivative compares them (ties split the adjoint).</summary>
    Minimum,

    /// <summary>Its length-1 child repeated over Length elements: a scalar in element-wise arithmetic with a vector.</summary>
    Broadcast,

    /// <summary>Scale * child + Offset.</summary>
    Affine,

    /// <summary>An element-wise function of its child.</summary>
    Function,

    /// <summary>A view of a range of its child: no storage of its own.</summary>
    Slice,

    /// <summary>Its children one after the other (<c>concat(x, h)</c>), copied into storage of its own.</summary>
    Concat,

    /// <summary>
    /// <c>layernorm(v, gain, bias, eps)</c>, its children v, gain and bias: stored, with its statistics (x̂, then 1/σ)
    /// in a frame slot of their own (<see cref="Node.StatisticsOffset"/>) for the closed-form backward.
    /// </summary>
    LayerNorm,

    /// <summary>A copy of its child, for a state or output assigned an existing value.</summary>
    Copy,
}

/// <summary>One operation of a time step. The graph of a step is a DAG; its order is the forward order.</summary>
internal sealed class Node
{
    public Node(NodeKind kind, int length, string text, params Node[] children)
    {
        Kind = kind;
        Length = length;
        Text = text;
        Children.AddRange(children);
    }

    public NodeKind Kind { get; }

    public int Length { get; }

    /// <summary>The source text of the expression, shown in comments.</summary>
    public string Text { get; }

    public List<Node> Children { get; } = new();

    /// <summary>The nodes that read this one; filled once the graph is complete.</summary>
    public List<Node> Consumers { get; } = new();

    /// <summary>The expression this node computes (null for leaves and copies).</summary>
    public Expr? Source { get; init; }

    /// <summary>The vector or parameter a leaf stands for; the matrix of a MatVec or TransposedMatVec.</summary>
    public string? LeafName { get; init; }

    public ParameterDeclaration? Matrix { get; init; }

    public double Scale { get; init; } = 1;

    public double Offset { get; init; }

    /// <summary>The function of a Function node: an entry of the table of primitives.</summary>
    public Primitive? Primitive { get; init; }

    public int SliceStart { get; init; }

    /// <summary>The eps of a LayerNorm node, added to the variance.</summary>
    public double Epsilon { get; init; }

    /// <summary>Offset of a LayerNorm node's statistics in the frame (x̂, then 1/σ: Length + 1 elements); -1 for other nodes.</summary>
    public int StatisticsOffset { get; set; } = -1;

    /// <summary>The name of the C# local holding a LayerNorm node's statistics at step t, e.g. <c>stats_ln_c_t</c>.</summary>
    public string? StatisticsLocal { get; set; }

    /// <summary>The statement whose value this node is (named values only).</summary>
    public Statement? Statement { get; set; }

    /// <summary>The name of the C# local holding the primal value at step t, e.g. <c>h_t</c>.</summary>
    public string? Local { get; set; }

    /// <summary>True when computed directly into its consumer's buffer (no storage, no adjoint buffer of its own).</summary>
    public bool IsFused { get; set; }

    /// <summary>
    /// Offset of the value (and of its adjoint) in the step's frame; -1 without storage. A fused node has a slot only
    /// for its adjoint (<see cref="HasAdjointOnly"/>).
    /// </summary>
    public int FrameOffset { get; set; } = -1;

    /// <summary>
    /// True for a fused operand of a map whose derivative is not the identity (the sum inside <c>tanh(W x + b)</c>):
    /// its value lives only in its consumer's buffer, but its adjoint differs from the consumer's and has a slot.
    /// </summary>
    public bool HasAdjointOnly => IsFused && FrameOffset >= 0;

    public bool IsLeaf => Kind is NodeKind.Input or NodeKind.Previous or NodeKind.ParameterVector;

    /// <summary>True for nodes computed into storage of their own (the frame).</summary>
    public bool IsMaterialized => !IsLeaf && Kind != NodeKind.Slice && !IsFused;
}
