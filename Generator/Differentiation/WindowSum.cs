using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Differentiation;

/// <summary>
/// A bias gradient that Backward accumulates once for the whole window, grad_b += Σ_t δ_t, in one kernel call, instead
/// of one addition per step: δ_t is an adjoint in the adjoint tape, at FrameSize from step to step.
/// </summary>
/// <param name="Vector">The parameter vector b.</param>
/// <param name="Source">δ_t, as the step names it.</param>
/// <param name="AdjointOffset">Where δ_0 starts in the adjoint tape.</param>
internal sealed record WindowSum(ParameterDeclaration Vector, AdjointRange Source, int AdjointOffset);
