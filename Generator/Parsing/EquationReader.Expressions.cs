using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Parsing;

/// <summary>Translation of one right-hand side into an <see cref="Expr"/>, with shapes checked.</summary>
internal sealed partial class EquationReader
{
    /// <summary>
    /// Reads a vector expression; null when it is invalid (the reason is reported). A length of -1 marks a
    /// value whose own definition failed: shape checks skip it, so one error does not cascade.
    /// </summary>
    private Expr? ReadVector(ExpressionSyntax syntax)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ReadVector(parenthesized.Expression);

            case IdentifierNameSyntax identifier:
                return ReadName(identifier);

            case BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression:
                return ReadBinary(binary);

            case BinaryExpressionSyntax binary:
                Report(DiagnosticDescriptors.UnsupportedConstruct, binary.OperatorToken.GetLocation(), "the operator '" + binary.OperatorToken.ValueText + "'",
                    "'+', '-', '*', '/' (element-wise, or matrix-vector for 'W * v')");
                return null;

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                var negated = ReadVector(unary.Operand);
                return negated is null ? null : Affine(negated, -1, 0, unary);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ReadVector(unary.Operand);

            case InvocationExpressionSyntax invocation:
                return ReadCall(invocation);

            case ElementAccessExpressionSyntax elementAccess:
                return ReadSlice(elementAccess);

            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "T" } transpose:
                ReportTransposeMisused(transpose);
                return null;

            default:
                if (TryGetConstant(syntax, out _))
                {
                    Report(DiagnosticDescriptors.UnsupportedConstruct, syntax.GetLocation(), "the constant '" + Text(syntax) + "'",
                        "a vector expression here (constants combine with vectors, as in '1 - z')");
                }
                else
                {
                    Report(DiagnosticDescriptors.UnsupportedConstruct, syntax.GetLocation(), "'" + Text(syntax) + "'",
                        "a vector expression built from names, '+ - *', constants, slices 'v[a..b]' and " + string.Join(", ", PrimitiveTable.All.Select(p => p.Name)));
                }

                return null;
        }
    }

    private Expr? ReadName(IdentifierNameSyntax identifier)
    {
        string name = identifier.Identifier.ValueText;
        string text = Text(identifier);
        if (_locals.TryGetValue(name, out int localLength))
        {
            return new ValueRef(name, localLength, text);
        }

        if (_vectors.TryGetValue(name, out var vector))
        {
            if (vector.Role == VectorRole.Input)
            {
                return new InputRef(name, vector.Length, text);
            }

            if (_assigned.Contains(name))
            {
                return new ValueRef(name, vector.Length, text);
            }

            _readBeforeAssignment.Add(name);
            return new PreviousRef(name, vector.Length, text);
        }

        if (_parameters.TryGetValue(name, out var parameter))
        {
            if (parameter.IsMatrix)
            {
                Report(DiagnosticDescriptors.MatrixMisused, identifier.GetLocation(), name);
                return null;
            }

            return new ParameterRef(name, parameter.Rows, text);
        }

        if (!_invalidDeclarations.Contains(name))
        {
            Report(DiagnosticDescriptors.UnknownIdentifier, identifier.GetLocation(), name, UnknownNameReason(identifier));
        }

        return null;
    }

    /// <summary>
    /// Why a name is not a value of the cell. A numeric field that is not const (typically 'static readonly') was
    /// meant as a constant, which the equations only take from a 'const': the message says so.
    /// </summary>
    private string UnknownNameReason(IdentifierNameSyntax identifier)
    {
        if (_semanticModel.GetSymbolInfo(identifier, _cancellationToken).Symbol is IFieldSymbol { IsConst: false } field &&
            field.Type.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_Double)
        {
            string kind = field.IsStatic && field.IsReadOnly ? "a 'static readonly' field" : "a field";
            return $"is {kind}, not a constant: a constant in the equations must be declared 'const', as in 'const {field.Type.ToDisplayString()} {field.Name} = ...;'";
        }

        return DiagnosticDescriptors.UnknownNameReason;
    }

    private Expr? ReadBinary(BinaryExpressionSyntax binary)
    {
        string text = Text(binary);

        // W * v: a matrix parameter on the left of '*'.
        if (binary.IsKind(SyntaxKind.MultiplyExpression) && binary.Left is IdentifierNameSyntax left &&
            _parameters.TryGetValue(left.Identifier.ValueText, out var matrix) && matrix.IsMatrix)
        {
            var operand = ReadVector(binary.Right);
            if (operand is null)
            {
                return null;
            }

            if (operand.Length >= 0 && operand.Length != matrix.Columns)
            {
                Report(DiagnosticDescriptors.ShapeMismatch, binary.GetLocation(), text,
                    $"'{matrix.Name}' is {matrix.Rows} x {matrix.Columns}, so it needs a vector of length {matrix.Columns}, but '{Text(binary.Right)}' has length {operand.Length}");
                return null;
            }

            return new MatVecExpr(matrix.Name, matrix.Rows, matrix.Columns, operand, text);
        }

        // W.T * v: the transpose of a matrix parameter on the left of '*'.
        if (binary.IsKind(SyntaxKind.MultiplyExpression) && binary.Left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "T" } transpose)
        {
            return ReadTransposedProduct(binary, transpose);
        }

        bool leftIsConstant = TryGetConstant(binary.Left, out double leftConstant);
        bool rightIsConstant = TryGetConstant(binary.Right, out double rightConstant);
        if (leftIsConstant && rightIsConstant)
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, binary.GetLocation(), "the constant '" + text + "'",
                "a vector expression here (constants combine with vectors, as in '1 - z')");
            return null;
        }

        if (leftIsConstant || rightIsConstant)
        {
            WarnOfTruncatingDivisions(leftIsConstant ? binary.Left : binary.Right);
            var vectorSide = ReadVector(leftIsConstant ? binary.Right : binary.Left);
            if (vectorSide is null)
            {
                return null;
            }

            double constant = leftIsConstant ? leftConstant : rightConstant;
            if (binary.IsKind(SyntaxKind.DivideExpression) && (leftIsConstant || constant == 0))
            {
                ReportUnsupportedDivision(binary, vectorSide, leftIsConstant);
                return null;
            }

            return binary.Kind() switch
            {
                SyntaxKind.AddExpression => Affine(vectorSide, 1, constant, binary),
                SyntaxKind.MultiplyExpression => Affine(vectorSide, constant, 0, binary),
                SyntaxKind.DivideExpression => Affine(vectorSide, 1 / constant, 0, binary),
                _ when leftIsConstant => Affine(vectorSide, -1, constant, binary),
                _ => Affine(vectorSide, 1, -constant, binary),
            };
        }

        var leftVector = ReadVector(binary.Left);
        var rightVector = ReadVector(binary.Right);
        if (leftVector is null || rightVector is null)
        {
            return null;
        }

        if (leftVector.Length >= 0 && rightVector.Length >= 0 && leftVector.Length != rightVector.Length)
        {
            if (leftVector.Length != 1 && rightVector.Length != 1)
            {
                Report(DiagnosticDescriptors.ShapeMismatch, binary.GetLocation(), text,
                    $"'{leftVector.Text}' has length {leftVector.Length} but '{rightVector.Text}' has length {rightVector.Length}; element-wise '{binary.OperatorToken.ValueText}' needs equal lengths, or one of length 1 (a scalar, broadcast)");
                return null;
            }

            // A scalar (length 1) with a vector: the scalar is read as a vector of equal elements.
            leftVector = Broadcast(leftVector, rightVector.Length);
            rightVector = Broadcast(rightVector, leftVector.Length);
        }

        var op = binary.Kind() switch
        {
            SyntaxKind.AddExpression => ElementwiseOp.Add,
            SyntaxKind.SubtractExpression => ElementwiseOp.Subtract,
            SyntaxKind.DivideExpression => ElementwiseOp.Divide,
            _ => ElementwiseOp.Multiply,
        };
        return new ElementwiseExpr(op, leftVector, rightVector, text) with { Length = Math.Max(leftVector.Length, rightVector.Length) };
    }

    /// <summary>
    /// A constant divided by a vector (no node computes it: the quotient's derivative needs a vector numerator), or a
    /// vector divided by the constant zero.
    /// </summary>
    private void ReportUnsupportedDivision(BinaryExpressionSyntax division, Expr vector, bool constantNumerator)
    {
        string reason = constantNumerator
            ? $"a constant divided by a vector is not an operation of the cell language; divide a vector instead, as in 'u / {vector.Text}' with u a vector (a parameter, or a value computed before)"
            : "it divides by the constant zero, which makes every element infinite or NaN; divide by a non-zero constant or by a vector";
        Report(DiagnosticDescriptors.UnsupportedDivision, division.GetLocation(), Text(division), reason);
    }

    /// <summary>
    /// Warns of each integer division in a constant operand that C# truncates: '(1 / 3) * h' is '0 * h'. An exact
    /// one ('4 / 2') means what it says and is left alone.
    /// </summary>
    private void WarnOfTruncatingDivisions(ExpressionSyntax constant)
    {
        foreach (var division in constant.DescendantNodesAndSelf().OfType<BinaryExpressionSyntax>().Where(b => b.IsKind(SyntaxKind.DivideExpression)))
        {
            if (TryGetInteger(division.Left, out decimal dividend) && TryGetInteger(division.Right, out decimal divisor) &&
                divisor != 0 && dividend % divisor != 0)
            {
                string right = Text(division.Right);
                string suggestion = division.Left is LiteralExpressionSyntax
                    ? $"'{dividend}f / {right}' or '{dividend}.0 / {right}'"
                    : $"'(double){Text(division.Left)} / {right}'";
                Report(DiagnosticDescriptors.IntegerDivisionTruncates, division.GetLocation(), Text(division),
                    decimal.Truncate(dividend / divisor).ToString(CultureInfo.InvariantCulture), suggestion);
            }
        }
    }

    /// <summary>The value of an integer compile-time constant (of any integer type, so a division of two is truncated).</summary>
    private bool TryGetInteger(ExpressionSyntax syntax, out decimal value)
    {
        var constant = _semanticModel.GetConstantValue(syntax, _cancellationToken);
        bool isInteger = constant.HasValue && constant.Value is sbyte or byte or short or ushort or int or uint or long or ulong;
        value = isInteger ? Convert.ToDecimal(constant.Value, CultureInfo.InvariantCulture) : 0;
        return isInteger;
    }

    /// <summary>A scalar read as a vector of <paramref name="length"/> equal elements; a vector as long already, as it is.</summary>
    private static Expr Broadcast(Expr operand, int length) =>
        operand.Length == 1 && length > 1 ? new BroadcastExpr(operand, length, operand.Text) : operand;

    /// <summary>Scale * operand + offset, folding a nested affine map into one.</summary>
    private static Expr Affine(Expr operand, double scale, double offset, SyntaxNode syntax) =>
        operand is AffineExpr inner
            ? new AffineExpr(inner.Operand, inner.Scale * scale, inner.Offset * scale + offset, Text(syntax))
            : new AffineExpr(operand, scale, offset, Text(syntax));

    private Expr? ReadCall(InvocationExpressionSyntax invocation)
    {
        string? name = invocation.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "CellMath" } } access => access.Name.Identifier.ValueText,
            _ => null,
        };
        if (name == Concat)
        {
            return ReadConcat(invocation);
        }

        if (name == LayerNorm)
        {
            return ReadLayerNorm(invocation);
        }

        if (name is "max" or "min")
        {
            return ReadExtremum(invocation, name == "max" ? ElementwiseOp.Maximum : ElementwiseOp.Minimum);
        }

        var primitive = name is null ? null : PrimitiveTable.Find(name);
        if (primitive is null)
        {
            Report(DiagnosticDescriptors.UnknownFunction, invocation.Expression.GetLocation(), Text(invocation.Expression));
            return null;
        }

        if (invocation.ArgumentList.Arguments.Count != primitive.Arity)
        {
            Report(DiagnosticDescriptors.UnknownFunction, invocation.GetLocation(), Text(invocation));
            return null;
        }

        var argument = invocation.ArgumentList.Arguments[0];
        if (!argument.RefKindKeyword.IsKind(SyntaxKind.None) || argument.NameColon is not null)
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, argument.GetLocation(), "the argument '" + Text(argument) + "'", "a plain vector argument");
            return null;
        }

        var operand = ReadVector(argument.Expression);
        return operand is null ? null : new CallExpr(primitive, operand, Text(invocation));
    }

    private Expr? ReadSlice(ElementAccessExpressionSyntax access)
    {
        string text = Text(access);
        if (access.ArgumentList.Arguments.Count != 1 || access.ArgumentList.Arguments[0].Expression is not RangeExpressionSyntax range)
        {
            Report(DiagnosticDescriptors.BadSlice, access.ArgumentList.GetLocation(), text,
                "expected one range with constant bounds, as in 'v[a..b]', 'v[..b]' or 'v[a..]'");
            return null;
        }

        var source = ReadVector(access.Expression);
        if (source is null)
        {
            return null;
        }

        if (source.Length < 0)
        {
            return new SliceExpr(source, 0, -1, text);
        }

        if (!TryReadIndex(range.LeftOperand, source.Length, 0, out int start) ||
            !TryReadIndex(range.RightOperand, source.Length, source.Length, out int end))
        {
            Report(DiagnosticDescriptors.BadSlice, range.GetLocation(), text, "the bounds must be integer compile-time constants");
            return null;
        }

        if (start < 0 || end > source.Length || start >= end)
        {
            Report(DiagnosticDescriptors.BadSlice, range.GetLocation(), text,
                $"it selects [{start}, {end}) of '{source.Text}', which has length {source.Length}; expected 0 <= start < end <= {source.Length}");
            return null;
        }

        // A slice of a slice is one slice of the original vector.
        return source is SliceExpr inner
            ? new SliceExpr(inner.Source, inner.Start + start, end - start, text)
            : new SliceExpr(source, start, end - start, text);
    }

    private bool TryReadIndex(ExpressionSyntax? bound, int length, int missingValue, out int index)
    {
        index = missingValue;
        if (bound is null)
        {
            return true;
        }

        bool fromEnd = bound is PrefixUnaryExpressionSyntax unary && unary.IsKind(SyntaxKind.IndexExpression);
        var valueSyntax = fromEnd ? ((PrefixUnaryExpressionSyntax)bound).Operand : bound;
        var constant = _semanticModel.GetConstantValue(valueSyntax, _cancellationToken);
        if (!constant.HasValue || constant.Value is not int value)
        {
            return false;
        }

        index = fromEnd ? length - value : value;
        return true;
    }

    private bool TryGetConstant(ExpressionSyntax syntax, out double value)
    {
        var constant = _semanticModel.GetConstantValue(syntax, _cancellationToken);
        if (constant.HasValue && constant.Value is int or long or float or double or decimal or short or byte)
        {
            value = Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture);
            return true;
        }

        value = 0;
        return false;
    }
}
