using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Differentiation;

/// <summary>
/// A weight gradient that Backward accumulates once for the whole window, grad_W += Σ_t δ_t v_tᵀ, as one matrix
/// product, instead of one outer product per step: δ_t is an adjoint in the adjoint tape and v_t a primal value in
/// the tape or the recorded inputs, each at a constant stride from step to step.
/// </summary>
/// <param name="Matrix">The weight W.</param>
/// <param name="Source">δ_t, as the step names it.</param>
/// <param name="Operand">v_t, as the step names it.</param>
/// <param name="AdjointOffset">Where δ_0 starts in the adjoint tape; δ_t is FrameSize further per step.</param>
/// <param name="OperandBuffer">The buffer holding every v_t.</param>
/// <param name="OperandOffset">Where v_0 starts in that buffer.</param>
/// <param name="OperandStride">Elements from v_t to v_{t+1}.</param>
/// <param name="Transposed">The gradient of a transposed product Wᵀ v: grad_W += Σ_t v_t δ_tᵀ, the factors swapped.</param>
internal sealed record WindowOuterProduct(
    ParameterDeclaration Matrix, AdjointRange Source, ValueRange Operand, int AdjointOffset, WindowBuffer OperandBuffer, int OperandOffset, int OperandStride,
    bool Transposed = false);

/// <summary>The window's buffers a window product reads its operands from.</summary>
internal enum WindowBuffer
{
    /// <summary>The primal tape: previous states and stored values.</summary>
    Tape,

    /// <summary>The copy of the window's inputs.</summary>
    RecordedInputs,
}
