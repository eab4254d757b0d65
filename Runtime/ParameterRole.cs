namespace UnrolledRnn;

/// <summary>How a parameter tensor is used in the equations.</summary>
public enum ParameterRole
{
    /// <summary>A matrix multiplying anything but previous states only (inputs, new states, intermediates).</summary>
    InputWeight,

    /// <summary>A matrix that only ever multiplies previous states (h_{t-1}).</summary>
    RecurrentWeight,

    /// <summary>A vector: a bias, a peephole weight, a gain.</summary>
    Vector,
}
