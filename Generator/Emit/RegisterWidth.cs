using System.Collections.Generic;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// One pass of a fused loop: a register width (<c>Vector512</c>, <c>Vector256</c>, <c>Vector128</c>) or the scalar tail,
/// and how its code loads, stores and writes constants. The loop body's arithmetic is the same text at every width:
/// the operators and the runtime's <c>Registers</c> functions are overloaded for each.
/// </summary>
internal sealed class RegisterWidth
{
    private RegisterWidth(string? vector, int bits) => (Vector, Bits) = (vector, bits);

    /// <summary>The vector class (<c>Vector512</c>), or null for the scalar tail.</summary>
    public string? Vector { get; }

    public int Bits { get; }

    public bool IsScalar => Vector is null;

    /// <summary>The widths a fused loop tries, widest first, then the scalar tail.</summary>
    public static IReadOnlyList<RegisterWidth> All { get; } = new[]
    {
        new RegisterWidth("Vector512", 512), new RegisterWidth("Vector256", 256), new RegisterWidth("Vector128", 128), new RegisterWidth(null, 0),
    };

    /// <summary>Elements per register of this width (1 for the scalar tail).</summary>
    public int Lanes(Precision precision) => IsScalar ? 1 : Bits / (precision == Precision.Double ? 64 : 32);

    public string Load(string elementType, string span, string offset) =>
        IsScalar ? $"{span}[{offset}]" : $"Registers.Load{Bits}<{elementType}>({span}, {offset})";

    public string Store(string value, string span, string offset) =>
        IsScalar ? $"{span}[{offset}] = {value};" : $"Registers.Store({value}, {span}, {offset});";

    /// <summary>A constant in every lane: a literal in the scalar tail.</summary>
    public string Constant(string literal) => IsScalar ? literal : $"{Vector}.Create({literal})";
}
