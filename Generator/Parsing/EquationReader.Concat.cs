using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Helpers;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Parsing;

/// <summary><c>concat(a, b, ...)</c>: vectors one after the other (URNN033 when it is not two or more plain vectors).</summary>
internal sealed partial class EquationReader
{
    /// <summary>The name of the concatenation in the equations (a method of CellMath that is not an element-wise primitive).</summary>
    public const string Concat = "concat";

    private Expr? ReadConcat(InvocationExpressionSyntax invocation)
    {
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Count < 2)
        {
            Report(DiagnosticDescriptors.BadConcat, invocation.GetLocation(), Text(invocation),
                $"it has {arguments.Count} part{(arguments.Count == 1 ? "" : "s")}; expected two or more vectors, as in 'concat(x, h)'");
            return null;
        }

        var parts = ImmutableArray.CreateBuilder<Expr>(arguments.Count);
        foreach (var argument in arguments)
        {
            if (!argument.RefKindKeyword.IsKind(SyntaxKind.None) || argument.NameColon is not null)
            {
                Report(DiagnosticDescriptors.BadConcat, argument.GetLocation(), Text(invocation), $"the part '{Text(argument)}' is not a plain vector argument");
                return null;
            }

            var part = ReadVector(argument.Expression);
            if (part is null)
            {
                return null;
            }

            parts.Add(part);
        }

        int length = parts.Any(p => p.Length < 0) ? -1 : parts.Sum(p => p.Length);
        return new ConcatExpr(new EquatableArray<Expr>(parts.MoveToImmutable()), length, Text(invocation));
    }
}
