using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Parsing;

// max(a, b) and min(a, b): two vectors of equal length, or a scalar (length 1) beside a vector, broadcast.
internal sealed partial class EquationReader
{
    private Expr? ReadExtremum(InvocationExpressionSyntax call, ElementwiseOp op)
    {
        string text = Text(call);
        var arguments = call.ArgumentList.Arguments;
        if (arguments.Count != 2)
        {
            Report(DiagnosticDescriptors.UnsupportedExtremum, call.GetLocation(), text,
                $"it has {arguments.Count} argument{(arguments.Count == 1 ? "" : "s")}; expected two vectors, as in '{(op == ElementwiseOp.Maximum ? "max" : "min")}(a, b)' (for max(v, 0) write relu(v))");
            return null;
        }

        foreach (var argument in arguments)
        {
            if (!argument.RefKindKeyword.IsKind(SyntaxKind.None) || argument.NameColon is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedConstruct, argument.GetLocation(), "the argument '" + Text(argument) + "'", "a plain vector argument");
                return null;
            }
        }

        foreach (var argument in arguments)
        {
            if (TryGetConstant(argument.Expression, out _))
            {
                Report(DiagnosticDescriptors.UnsupportedExtremum, argument.GetLocation(), text,
                    $"'{Text(argument)}' is a constant; expected two vectors: write relu(v) for max(v, 0), relu(v - c) + c for max(v, c), or compare with a [Parameter(1)] scalar");
                return null;
            }
        }

        var left = ReadVector(arguments[0].Expression);
        var right = ReadVector(arguments[1].Expression);
        if (left is null || right is null)
        {
            return null;
        }

        if (left.Length >= 0 && right.Length >= 0 && left.Length != right.Length)
        {
            if (left.Length != 1 && right.Length != 1)
            {
                Report(DiagnosticDescriptors.UnsupportedExtremum, call.GetLocation(), text,
                    $"'{left.Text}' has length {left.Length} but '{right.Text}' has length {right.Length}; expected equal lengths, or one of length 1 (a scalar, broadcast)");
                return null;
            }

            left = Broadcast(left, right.Length);
            right = Broadcast(right, left.Length);
        }

        return new ElementwiseExpr(op, left, right, text) with { Length = System.Math.Max(left.Length, right.Length) };
    }
}
