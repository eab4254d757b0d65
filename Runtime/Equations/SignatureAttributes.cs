using System;

namespace UnrolledRnn;

/// <summary>An input vector of the cell, read at every time step.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input of <paramref name="length"/> elements.</summary>
    public InputAttribute(int length) => Length = length;

    /// <summary>The number of elements.</summary>
    public int Length { get; }
}

/// <summary>
/// A recurrent state vector. Read before its assignment in <c>Equations</c> it is the previous step's value;
/// read after it, the new value.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class StateAttribute : Attribute
{
    /// <summary>Declares a state of <paramref name="length"/> elements.</summary>
    public StateAttribute(int length) => Length = length;

    /// <summary>The number of elements.</summary>
    public int Length { get; }
}

/// <summary>
/// An output vector, produced at every time step. An output read before its assignment is fed back:
/// it is the previous step's output (a Jordan network) and becomes part of the carried state.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class OutputAttribute : Attribute
{
    /// <summary>Declares an output of <paramref name="length"/> elements.</summary>
    public OutputAttribute(int length) => Length = length;

    /// <summary>The number of elements.</summary>
    public int Length { get; }
}

/// <summary>A trained parameter: a matrix (rows, columns), stored row-major, or a vector (length).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class ParameterAttribute : Attribute
{
    /// <summary>Declares a vector parameter of <paramref name="length"/> elements.</summary>
    public ParameterAttribute(int length) => (Rows, Columns) = (length, 1);

    /// <summary>Declares a matrix parameter, <paramref name="rows"/> by <paramref name="columns"/>, row-major.</summary>
    public ParameterAttribute(int rows, int columns) => (Rows, Columns) = (rows, columns);

    /// <summary>The number of rows (the length, for a vector).</summary>
    public int Rows { get; }

    /// <summary>The number of columns (1 for a vector).</summary>
    public int Columns { get; }
}
