using System.Collections.Generic;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Differentiation;

/// <summary>
/// The backward pass of one step, decided before any code is written: which adjoints receive what, over which
/// ranges, assigned or accumulated, in which order; which weight gradients Backward sums over the window. The
/// emitter renders it statement by statement. Built by <see cref="Differentiator"/>.
/// </summary>
/// <param name="Seeds">Before the blocks: dL/dy_t from the caller, and the clearing of adjoints that accumulate from zero.</param>
/// <param name="Blocks">One per stored value, in reverse forward order: the adjoint statements that undo its equation.</param>
/// <param name="Completion">After the blocks: dL/ds_{t-1} completed (slices nobody wrote, previous states nobody reads).</param>
/// <param name="WindowProducts">The weight gradients that Backward sums over the window instead of the step.</param>
/// <param name="WindowSums">The bias gradients that Backward sums over the window instead of the step.</param>
internal sealed record AdjointPlan(
    IReadOnlyList<AdjointStep> Seeds,
    IReadOnlyList<AdjointBlock> Blocks,
    IReadOnlyList<AdjointStep> Completion,
    IReadOnlyList<WindowOuterProduct> WindowProducts,
    IReadOnlyList<WindowSum> WindowSums);

/// <summary>The adjoint statements of one forward equation, the one that computes <paramref name="Value"/>.</summary>
/// <param name="Reached">False when no path leads from the value to the loss: the block is empty.</param>
internal sealed record AdjointBlock(Node Value, bool Reached, IReadOnlyList<AdjointStep> Steps);

/// <summary>Whether a statement writes its target (its first contribution) or adds to what is there.</summary>
internal enum WriteMode
{
    Assign,
    Accumulate,
}

/// <summary>
/// Elements [Start, Start + Length) of the adjoint buffer of <paramref name="Buffer"/>: a stored value's slot in the
/// adjoint frame (or an adjoint-only slot), a previous state's part of the adjoint frame, or a vector parameter's gradient.
/// </summary>
internal readonly record struct AdjointRange(Node Buffer, int Start, int Length)
{
    public static AdjointRange Whole(Node buffer) => new(buffer, 0, buffer.Length);

    public bool IsWhole => Start == 0 && Length == Buffer.Length;
}

/// <summary>Elements [Start, Start + Length) of a primal value: a stored value, an input, a previous state or a parameter.</summary>
internal readonly record struct ValueRange(Node Buffer, int Start, int Length)
{
    public static ValueRange Whole(Node buffer) => new(buffer, 0, buffer.Length);
}

/// <summary>One statement of the backward pass.</summary>
internal abstract record AdjointStep;

/// <summary><c>Target (=|+=) dL/dOutput</c>, from the caller's output gradient (a fed-back output accumulates).</summary>
internal sealed record SeedFromOutput(AdjointRange Target, VectorDeclaration Output, int OutputOffset, WriteMode Mode) : AdjointStep;

/// <summary><c>Target = 0</c>: an adjoint that accumulates from zero, or a range that no path reached.</summary>
internal sealed record ClearAdjoint(AdjointRange Target) : AdjointStep;

/// <summary><c>d_s_{t-1} = 0</c> for a recurrent vector whose previous value no equation reads.</summary>
internal sealed record ClearUnreadPrevious(VectorDeclaration Vector) : AdjointStep;

/// <summary><c>stateAdjointSquaredNorm += ||Source||²</c>, once the adjoint of a new state is complete.</summary>
internal sealed record AddToStateNorm(AdjointRange Source) : AdjointStep;

/// <summary><c>Target (=|+=) Source</c>: the derivative is 1 (a term of a sum, a copy, the identity).</summary>
internal sealed record PassAdjoint(AdjointRange Target, AdjointRange Source, WriteMode Mode) : AdjointStep;

/// <summary><c>Target (=|+=) Scale * Source</c>: the operand of <c>Scale * v + Offset</c>.</summary>
internal sealed record ScaleAdjoint(AdjointRange Target, AdjointRange Source, double Scale, WriteMode Mode) : AdjointStep;

/// <summary><c>Target (=|+=) Source * Factor</c>: an operand of an element-wise product, Factor the other.</summary>
internal sealed record MultiplyAdjoint(AdjointRange Target, AdjointRange Source, ValueRange Factor, WriteMode Mode) : AdjointStep;

/// <summary><c>Target (=|+=) Source / Divisor</c>: the numerator a of <c>y = a / b</c>.</summary>
internal sealed record DivideAdjoint(AdjointRange Target, AdjointRange Source, ValueRange Divisor, WriteMode Mode) : AdjointStep;

/// <summary>
/// <c>Target (= -|-=) Source * (Quotient / Divisor)</c>: the denominator b of <c>y = a / b</c>, whose derivative
/// -a / b² is written in terms of the recorded quotient y, as PyTorch's <c>-grad * ((a / b) / b)</c>.
/// </summary>
internal sealed record DivisorAdjoint(AdjointRange Target, AdjointRange Source, ValueRange Quotient, ValueRange Divisor, WriteMode Mode) : AdjointStep;

/// <summary><c>Target (=|+=) Σ Source</c>: the length-1 operand of a broadcast, summing its adjoint's elements.</summary>
internal sealed record SumAdjoint(AdjointRange Target, AdjointRange Source, WriteMode Mode) : AdjointStep;

/// <summary>
/// <c>Target (=|+=) Source</c> where <c>Larger &gt; Smaller</c>, half of it where they are equal, nothing where
/// <c>Larger &lt; Smaller</c>: an operand of max(a, b) (a's pair is (a, b)) or min(a, b) (a's pair is (b, a)), as PyTorch.
/// </summary>
internal sealed record SelectedAdjoint(AdjointRange Target, AdjointRange Source, ValueRange Larger, ValueRange Smaller, WriteMode Mode) : AdjointStep;

/// <summary>
/// <c>Target (=|+=) Source * f'(x)</c>, written in terms of the recorded <paramref name="Output"/> y = f(x), or of the
/// stored <paramref name="Argument"/> x when the derivative reads it (null otherwise).
/// </summary>
internal sealed record ApplyDerivative(AdjointRange Target, AdjointRange Source, Primitive Primitive, ValueRange Output, ValueRange? Argument, WriteMode Mode) : AdjointStep;

/// <summary><c>Target (=|+=) Matrixᵀ Source</c>: the vector operand of <c>W * v</c>.</summary>
internal sealed record TransposedProduct(AdjointRange Target, ParameterDeclaration Matrix, AdjointRange Source, WriteMode Mode) : AdjointStep;

/// <summary><c>Target (=|+=) Matrix Source</c>: the vector operand of <c>Wᵀ v</c>.</summary>
internal sealed record MatrixProduct(AdjointRange Target, ParameterDeclaration Matrix, AdjointRange Source, WriteMode Mode) : AdjointStep;

/// <summary>
/// <c>grad_W += Source Operandᵀ</c> within the step (when the window product does not apply); when
/// <paramref name="Transposed"/>, the gradient of <c>Wᵀ v</c>: <c>grad_W += Operand Sourceᵀ</c>, the factors swapped.
/// </summary>
internal sealed record OuterProduct(ParameterDeclaration Matrix, AdjointRange Source, ValueRange Operand, bool Transposed = false) : AdjointStep;

/// <summary>
/// The closed-form backward of <c>y = layernorm(v, gain, bias, eps)</c> from its stored statistics (x̂, 1/σ):
/// <c>Target (=|+=) (1/σ) (g⊙Source - mean(g⊙Source) - x̂ mean(g⊙Source⊙x̂))</c> when v has an adjoint (Target not null),
/// and <c>grad_gain += Source⊙x̂</c>; the bias's gradient is passed on as an ordinary adjoint.
/// </summary>
internal sealed record LayerNormBackward(Node Norm, AdjointRange? Target, AdjointRange Source, ParameterDeclaration Gain, WriteMode Mode) : AdjointStep;

/// <summary>Where a weight gradient would be: Backward sums it over the window (<see cref="AdjointPlan.WindowProducts"/>).</summary>
internal sealed record DeferredToWindow(WindowOuterProduct Product) : AdjointStep;

/// <summary>Where a bias gradient would be: Backward sums it over the window (<see cref="AdjointPlan.WindowSums"/>).</summary>
internal sealed record DeferredSumToWindow(WindowSum Sum) : AdjointStep;
