using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Names and literals as they appear in generated code. In the user's partial class every type is qualified with
/// global::; the step class has usings (<see cref="StepsUsings"/>) and calls the kernels by their short names.
/// </summary>
internal static class CSharp
{
    /// <summary>The usings of the step classes' namespace: inside it, these short names cannot be shadowed by user code.</summary>
    public static readonly string[] StepsUsings =
    {
        "global::System", "global::System.CodeDom.Compiler", "global::System.Numerics.Tensors", "global::System.Runtime.CompilerServices",
        "global::System.Runtime.Intrinsics",
        "global::UnrolledRnn.Kernels",
    };

    public const string MatrixVector = "global::UnrolledRnn.Kernels.MatrixVector";
    public const string Span = "global::System.Span";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan";
    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"UnrolledRnn.Generator\", \"1.0.0\")]";

    /// <summary>
    /// On the hot methods: compiled fully optimised at the first call, not first as instrumented tier-0 code
    /// (with dynamic PGO, an LSTM H=32 update ran 10x slower for its first thousands of calls; docs/performance.md).
    /// </summary>
    public const string HotPath = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    /// <summary><see cref="GeneratedCode"/> and <see cref="HotPath"/> as the step class writes them, with its usings.</summary>
    public const string StepsGeneratedCode = "[GeneratedCode(\"UnrolledRnn.Generator\", \"1.0.0\")]";

    public const string StepsHotPath = "[MethodImpl(MethodImplOptions.AggressiveOptimization)]";

    /// <summary>A user's name as an identifier in code: escaped with '@' when it is a keyword (<c>@int</c>).</summary>
    public static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>A dotted namespace name with each part escaped as <see cref="Identifier"/>.</summary>
    public static string QualifiedName(string name) => string.Join(".", name.Split('.').Select(Identifier));

    public static string Keyword(Precision precision) => precision == Precision.Double ? "double" : "float";

    /// <summary>A numeric literal of the element type, exact for the value it denotes.</summary>
    public static string Literal(double value, Precision precision)
    {
        if (precision == Precision.Double)
        {
            return value.ToString("R", CultureInfo.InvariantCulture) + "d";
        }

        return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    /// <summary>A literal in math comments: integers plain, others as written.</summary>
    public static string MathLiteral(double value) =>
        Math.Abs(value - Math.Round(value)) < 1e-12 ? ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
