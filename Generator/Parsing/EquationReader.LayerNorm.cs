using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Parsing;

/// <summary><c>layernorm(v, gain, bias, eps)</c>: URNN034 unless gain and bias are vector parameters of v's length and eps a positive constant.</summary>
internal sealed partial class EquationReader
{
    /// <summary>The name of the layer normalisation in the equations (a method of CellMath that is not an element-wise primitive).</summary>
    public const string LayerNorm = "layernorm";

    private Expr? ReadLayerNorm(InvocationExpressionSyntax invocation)
    {
        var arguments = invocation.ArgumentList.Arguments;
        string text = Text(invocation);
        if (arguments.Count != 4)
        {
            Report(DiagnosticDescriptors.BadLayerNorm, invocation.GetLocation(), text,
                $"it has {arguments.Count} argument{(arguments.Count == 1 ? "" : "s")}; expected four, as in 'layernorm(v, gain, bias, 1e-5)'");
            return null;
        }

        foreach (var argument in arguments)
        {
            if (!argument.RefKindKeyword.IsKind(SyntaxKind.None) || argument.NameColon is not null)
            {
                Report(DiagnosticDescriptors.BadLayerNorm, argument.GetLocation(), text, $"the argument '{Text(argument)}' is not a plain argument");
                return null;
            }
        }

        var operand = ReadVector(arguments[0].Expression);
        if (operand is null)
        {
            return null;
        }

        string? gain = AffineParameter(arguments[1].Expression, operand.Length, "gain", text);
        string? bias = gain is null ? null : AffineParameter(arguments[2].Expression, operand.Length, "bias", text);
        if (bias is null)
        {
            return null;
        }

        var epsilon = arguments[3].Expression;
        if (!TryGetConstant(epsilon, out double value) || !(value > 0))
        {
            Report(DiagnosticDescriptors.BadLayerNorm, epsilon.GetLocation(), text,
                $"eps '{Text(epsilon)}' is not a positive compile-time constant; expected one such as 1e-5");
            return null;
        }

        return new LayerNormExpr(operand, gain!, bias, value, text);
    }

    /// <summary>The gain or the bias: a vector parameter named directly, of the operand's length; null (URNN034 reported) otherwise.</summary>
    private string? AffineParameter(ExpressionSyntax syntax, int length, string role, string text)
    {
        if (syntax is IdentifierNameSyntax name && _parameters.TryGetValue(name.Identifier.ValueText, out var parameter) && !parameter.IsMatrix)
        {
            if (length < 0 || parameter.Length == length)
            {
                return parameter.Name;
            }

            Report(DiagnosticDescriptors.BadLayerNorm, syntax.GetLocation(), text,
                $"the {role} '{parameter.Name}' has length {parameter.Length}, but the normalised vector has length {length}");
            return null;
        }

        Report(DiagnosticDescriptors.BadLayerNorm, syntax.GetLocation(), text,
            $"the {role} '{Text(syntax)}' is not a vector parameter; expected a [Parameter({(length < 0 ? "n" : length.ToString())})] Vec named directly");
        return null;
    }
}
