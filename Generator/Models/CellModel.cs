using UnrolledRnn.Generator.Helpers;

namespace UnrolledRnn.Generator.Models;

/// <summary>
/// Everything the emitter needs about one cell, as value-equatable data: no symbols, no syntax, no
/// locations, so that an edit that does not change the cell leaves the pipeline's output cached.
/// When <paramref name="EquationsValid"/> is false the declaration and signature are sound but the equations
/// are not (their errors are reported): only the members' signatures are emitted, so that the user's other
/// code keeps compiling and the only errors are the ones in the equations. <paramref name="FastActivations"/>
/// selects the rational approximations of tanh and sigmoid. <see cref="Precision"/> and <see cref="RecurrentInitialization"/>
/// are the runtime's own enums, compiled into the generator, as the attribute's arguments give them.
/// </summary>
internal sealed record CellModel(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string TypeName,
    int TruncationLength,
    Precision Precision,
    RecurrentInitialization RecurrentInitialization,
    EquatableArray<VectorDeclaration> Vectors,
    EquatableArray<ParameterDeclaration> Parameters,
    EquatableArray<Statement> Statements,
    bool EquationsValid = true,
    bool FastActivations = false);

/// <summary>A type the cell is nested in, outermost first (emitted as a partial declaration).</summary>
internal sealed record ContainingType(string Keyword, string Name);

internal enum VectorRole
{
    Input,
    State,
    Output,
}

/// <summary>
/// An input, state or output of the cell. <paramref name="IsRecurrent"/> is true for states and for outputs
/// that are read before their assignment (fed back, as in a Jordan network): both are carried.
/// </summary>
internal sealed record VectorDeclaration(string Name, VectorRole Role, int Length, bool IsRecurrent);

/// <summary>A trained parameter: a row-major matrix, or a vector (Columns = 1).</summary>
internal sealed record ParameterDeclaration(string Name, int Rows, int Columns, bool IsMatrix)
{
    public int Length => Rows * Columns;
}

internal enum StatementTarget
{
    Local,
    State,
    Output,
}

/// <summary>One equation of the step: <c>Name = Value</c>, with its source text for comments.</summary>
internal sealed record Statement(string Name, StatementTarget Target, Expr Value, string Text);
