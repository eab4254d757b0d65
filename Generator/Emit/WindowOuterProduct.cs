using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// A weight gradient that Backward accumulates once for the whole window, grad_W += Σ_t δ_t v_tᵀ, as one matrix
/// product, instead of one outer product per step: δ_t is an adjoint in the adjoint tape and v_t a primal value in
/// the tape or the recorded inputs, each at a constant stride from step to step.
/// </summary>
/// <param name="Matrix">The weight W.</param>
/// <param name="AdjointOffset">Where δ_0 starts in the adjoint tape; δ_t is FrameSize further per step.</param>
/// <param name="OperandBuffer">The local holding every v_t: <c>tape</c> or <c>recordedInputs</c>.</param>
/// <param name="OperandOffset">Where v_0 starts in that buffer.</param>
/// <param name="OperandStride">Elements from v_t to v_{t+1}.</param>
/// <param name="Text">The update as it reads in comments, e.g. <c>grad_W_hh += d_gates_t h_prev^T</c>.</param>
internal sealed record WindowOuterProduct(
    ParameterDeclaration Matrix, int AdjointOffset, string OperandBuffer, int OperandOffset, int OperandStride, string Text);
