namespace UnrolledRnn;

/// <summary>
/// One parameter tensor of a generated cell: where it lives in the flat parameter buffer and what it does.
/// </summary>
/// <param name="Name">The name in the cell's <c>Equations</c> signature.</param>
/// <param name="Offset">The index of its first element in <c>Parameters</c> (and <c>Gradients</c>).</param>
/// <param name="Rows">Rows (the length, for a vector).</param>
/// <param name="Columns">Columns (1 for a vector). Matrices are row-major.</param>
/// <param name="Role">How the tensor is used, which decides its initialisation.</param>
public sealed record ParameterTensor(string Name, int Offset, int Rows, int Columns, ParameterRole Role)
{
    /// <summary>The number of elements, Rows × Columns.</summary>
    public int Length => Rows * Columns;
}
