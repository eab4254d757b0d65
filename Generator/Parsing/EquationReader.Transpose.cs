using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Parsing;

/// <summary>The transposed product <c>W.T * v</c>, and every other use of <c>.T</c> (URNN032).</summary>
internal sealed partial class EquationReader
{
    /// <summary>Reads <c>W.T * v</c>: W a matrix parameter (rows x columns), v of length rows; the result has length columns.</summary>
    private Expr? ReadTransposedProduct(BinaryExpressionSyntax binary, MemberAccessExpressionSyntax transpose)
    {
        if (TransposedMatrix(transpose) is not { } matrix)
        {
            ReportTransposeMisused(transpose);
            return null;
        }

        var operand = ReadVector(binary.Right);
        if (operand is null)
        {
            return null;
        }

        string text = Text(binary);
        if (operand.Length >= 0 && operand.Length != matrix.Rows)
        {
            Report(DiagnosticDescriptors.ShapeMismatch, binary.GetLocation(), text,
                $"'{matrix.Name}' is {matrix.Rows} x {matrix.Columns}, so its transpose needs a vector of length {matrix.Rows}, but '{Text(binary.Right)}' has length {operand.Length}");
            return null;
        }

        return new TransposedMatVecExpr(matrix.Name, matrix.Rows, matrix.Columns, operand, text);
    }

    /// <summary>The matrix parameter <c>W</c> of <c>W.T</c>; null when what is transposed is not one.</summary>
    private ParameterDeclaration? TransposedMatrix(MemberAccessExpressionSyntax transpose) =>
        transpose.Expression is IdentifierNameSyntax name && _parameters.TryGetValue(name.Identifier.ValueText, out var parameter) && parameter.IsMatrix
            ? parameter
            : null;

    /// <summary>URNN032 on a <c>.T</c> that is not the left operand of a transposed product of a matrix parameter.</summary>
    private void ReportTransposeMisused(MemberAccessExpressionSyntax transpose)
    {
        string text = Text(transpose);
        string reason = TransposedMatrix(transpose) is { } matrix
            ? $"the transpose of a matrix can only be the left operand of a product, as in '{matrix.Name}.T * v'"
            : $"'.T' transposes a matrix parameter ([Parameter(rows, columns)] Mat), and '{Text(transpose.Expression)}' is not one; a vector needs no transpose";
        Report(DiagnosticDescriptors.TransposeMisused, transpose.GetLocation(), text, reason);
    }
}
