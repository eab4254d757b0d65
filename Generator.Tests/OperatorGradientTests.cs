using System;
using System.Collections.Generic;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Finite-difference gradient checks, one small cell per operator of the equation language (Cells/OperatorCells.cs),
/// so that a wrong derivative points at its operator. Every parameter and initial-state derivative of a k2-step
/// window is compared with a central difference (<see cref="GradientCheck"/>).
/// </summary>
public sealed class OperatorGradientTests
{
    /// <summary>
    /// The worst acceptable relative error. The central difference itself is accurate to about 1e-10 relative
    /// (truncation e^2 f'''/6 and round-off |L| eps / e, with e = 1e-5), so a correct derivative lands far below;
    /// a missing or wrong term shows up at 1e-3 or more.
    /// </summary>
    private const double Tolerance = 1e-6;

    /// <summary>The tolerance for cells with FastActivations (see that test).</summary>
    private const double FastActivationsTolerance = 1e-5;

    private static readonly Dictionary<string, Func<IUnrolledCell<double>>> s_cells = new()
    {
        ["matrix-vector product"] = () => new OpMatVec(),
        ["element-wise +"] = () => new OpAdd(),
        ["element-wise -"] = () => new OpSubtract(),
        ["element-wise *"] = () => new OpMultiply(),
        ["1 - z"] = () => new OpOneMinus(),
        ["2.5 * v"] = () => new OpScale(),
        ["v + 0.5"] = () => new OpAddConstant(),
        ["v - 1"] = () => new OpSubtractConstant(),
        ["unary minus"] = () => new OpNegate(),
        ["tanh"] = () => new OpTanh(),
        ["sigmoid"] = () => new OpSigmoid(),
        ["relu"] = () => new OpRelu(),
        ["identity"] = () => new OpIdentity(),
        ["exp"] = () => new OpExp(),
        ["softplus"] = () => new OpSoftplus(),
        ["sqrt"] = () => new OpSqrt(),
        ["log"] = () => new OpLog(),
        ["elu"] = () => new OpElu(),
        ["logsigmoid"] = () => new OpLogSigmoid(),
        ["abs"] = () => new OpAbs(),
        ["square"] = () => new OpSquare(),
        ["sin and cos"] = () => new OpSinCos(),
        ["silu"] = () => new OpSilu(),
        ["gelu"] = () => new OpGelu(),
        ["disjoint slices"] = () => new OpDisjointSlices(),
        ["overlapping slices"] = () => new OpOverlappingSlices(),
        ["slices of states"] = () => new OpStateSlices(),
        ["copy (y = h)"] = () => new OpCopy(),
    };

    private readonly ITestOutputHelper _output;

    public OperatorGradientTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Operators => new(s_cells.Keys);

    [Theory]
    [MemberData(nameof(Operators))]
    public void Gradient_matches_finite_differences(string op)
    {
        var cell = s_cells[op]();
        Assert.True(cell.TruncationLength >= 4, "A window of at least 4 steps, so that gradients flow through several steps.");

        var result = GradientCheck.Run(cell);

        _output.WriteLine($"{op} ({cell.GetType().Name}, k2 = {cell.TruncationLength}): {result}");
        _output.WriteLine("state adjoint norms: " + string.Join(", ", Array.ConvertAll(result.StateAdjointNorms, n => n.ToString("G4"))));
        Assert.Equal(cell.ParameterCount + cell.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < Tolerance, $"{op}: {result}");
    }

    /// <summary>
    /// With FastActivations the forward pass evaluates rational approximations of tanh and sigmoid (within 2.6e-7),
    /// while the backward pass differentiates the exact functions at the recorded outputs (1 - y², y(1 - y)). The
    /// finite differences see the approximation's own slope, which differs from the exact one by about 1e-6, so
    /// the two agree to that order (measured 3.4e-6) instead of 1e-10; a wrong term would still show at 1e-3.
    /// </summary>
    [Fact]
    public void Fast_activations_gradient_matches_finite_differences_to_the_approximations_accuracy()
    {
        var cell = new OpFastActivations();

        var result = GradientCheck.Run(cell);

        _output.WriteLine($"FastActivations: {result}");
        Assert.Equal(OpFastActivations.ParameterCount + OpFastActivations.StateSize, result.Count);
        Assert.True(result.MaxRelativeError < FastActivationsTolerance, result.ToString());
    }
}
