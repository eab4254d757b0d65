using System;

namespace UnrolledRnn;

/// <summary>
/// Marks a <c>partial</c> class as a recurrent cell: the UnrolledRnn generator reads the class's
/// <c>Equations</c> method and emits forward, backward (BPTT) and streaming-step methods unrolled over
/// <see cref="TruncationLength"/> time steps.
/// </summary>
/// <remarks>
/// <code>
/// [UnrolledCell(32)]
/// public partial class Elman
/// {
///     const int In = 16, H = 32, Out = 4;
///
///     static void Equations([Input(In)] Vec x, [State(H)] Vec h, [Output(Out)] Vec y,
///         [Parameter(H, In)] Mat W_ih, [Parameter(H, H)] Mat W_hh, [Parameter(H)] Vec b_h,
///         [Parameter(Out, H)] Mat W_out, [Parameter(Out)] Vec b_out)
///     {
///         h = tanh(W_ih * x + W_hh * h + b_h);
///         y = W_out * h + b_out;
///     }
/// }
/// </code>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class UnrolledCellAttribute : Attribute
{
    /// <summary>Creates the marker with the truncation length k2 (the number of unrolled steps).</summary>
    public UnrolledCellAttribute(int truncationLength) => TruncationLength = truncationLength;

    /// <summary>k2: the number of time steps that <c>Forward</c> and <c>Backward</c> unroll.</summary>
    public int TruncationLength { get; }

    /// <summary>The floating-point type of parameters, states and arithmetic. Single by default.</summary>
    public Precision Precision { get; set; } = Precision.Single;

    /// <summary>
    /// Evaluate tanh and sigmoid with a rational approximation (<c>Activations.FastTanh</c>: within 2.6e-7 of
    /// tanh, 1.5e-7 of sigmoid) instead of <c>TensorPrimitives</c> (a few ulps). Faster; off by default. The
    /// backward pass is unchanged: it differentiates the exact function at the recorded output.
    /// </summary>
    public bool FastActivations { get; set; }

    /// <summary>How <c>InitializeParameters</c> fills the recurrent weight matrices.</summary>
    public RecurrentInitialization RecurrentInitialization { get; set; } = RecurrentInitialization.Orthogonal;
}
