using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Helpers;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Parsing;

/// <summary>
/// Reads one class marked <c>[UnrolledCell]</c>: its declaration, its <c>Equations</c> signature and the
/// statements of its body, into a <see cref="CellModel"/>, reporting every problem at the node that causes it.
/// </summary>
internal static class CellParser
{
    /// <summary>The largest k2 accepted: Forward and Backward hold one call per step (about 95 bytes of IL), and
    /// beyond about 600 steps they would pass the JIT's 60,000-byte limit for optimising a method (docs/design.md).</summary>
    public const int MaxTruncationLength = 512;

    public const string EquationsMethodName = "Equations";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var classSyntax = (ClassDeclarationSyntax)context.TargetNode;
        var cellSymbol = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        string cellName = cellSymbol.Name;

        CheckDeclaration(classSyntax, cellName, diagnostics, out var containingTypes);
        var (truncationLength, elementType, recurrentInitialization) =
            ReadAttribute(context.Attributes[0], classSyntax, cellName, diagnostics);

        var methods = classSyntax.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m.Identifier.ValueText == EquationsMethodName).ToList();
        if (methods.Count != 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EquationsMissing, classSyntax.Identifier.GetLocation(), cellName));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var reader = new EquationReader(context.SemanticModel, methods[0], cellSymbol, diagnostics, cancellationToken);
        bool equationsValid = reader.Read();

        if (!equationsValid || diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var model = new CellModel(
            cellSymbol.ContainingNamespace.IsGlobalNamespace ? null : cellSymbol.ContainingNamespace.ToDisplayString(),
            containingTypes.ToEquatableArray(),
            cellName,
            truncationLength,
            elementType,
            recurrentInitialization,
            reader.Vectors.ToEquatableArray(),
            reader.Parameters.ToEquatableArray(),
            reader.Statements.ToEquatableArray());
        return new ParseResult(model, diagnostics.ToEquatableArray());
    }

    private static void CheckDeclaration(ClassDeclarationSyntax classSyntax, string cellName, List<DiagnosticInfo> diagnostics,
        out List<ContainingType> containingTypes)
    {
        var nameLocation = classSyntax.Identifier.GetLocation();
        if (!classSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CellNotPartial, nameLocation, cellName));
        }

        if (classSyntax.TypeParameterList is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CellIsGeneric, classSyntax.TypeParameterList.GetLocation(), cellName));
        }

        if (classSyntax.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadCellDeclaration, nameLocation, cellName,
                "is static; expected an instance class, which holds the parameters, gradients and state"));
        }

        containingTypes = new List<ContainingType>();
        for (var parent = classSyntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, parent.Identifier.GetLocation(),
                    cellName, parent.Identifier.ValueText));
            }

            if (parent.TypeParameterList is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadCellDeclaration, parent.TypeParameterList.GetLocation(),
                    cellName, $"is nested in the generic type '{parent.Identifier.ValueText}'; expected non-generic containing types"));
            }

            string keyword = parent is RecordDeclarationSyntax record
                ? (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record")
                : parent.Keyword.ValueText;
            containingTypes.Insert(0, new ContainingType(keyword, parent.Identifier.ValueText));
        }
    }

    private static (int TruncationLength, ElementType ElementType, RecurrentInitialization RecurrentInitialization) ReadAttribute(
        AttributeData attribute, ClassDeclarationSyntax classSyntax, string cellName, List<DiagnosticInfo> diagnostics)
    {
        var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? classSyntax.Identifier.GetLocation();
        int truncationLength = 0;
        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int k2)
        {
            truncationLength = k2;
            if (k2 < 1 || k2 > MaxTruncationLength)
            {
                var argumentLocation = (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments
                    .FirstOrDefault()?.GetLocation() ?? attributeLocation;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TruncationLengthOutOfRange, argumentLocation, cellName, k2,
                    MaxTruncationLength, "Forward and Backward hold one call per step, and longer methods defeat the JIT's optimiser"));
            }
        }
        else
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TruncationLengthOutOfRange, attributeLocation, cellName, "missing",
                MaxTruncationLength, "it is the number of steps Forward and Backward unroll"));
        }

        var elementType = ElementType.Single;
        var recurrentInitialization = RecurrentInitialization.Orthogonal;
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Precision" && named.Value.Value is int precision)
            {
                elementType = precision == 1 ? ElementType.Double : ElementType.Single;
            }
            else if (named.Key == "RecurrentInitialization" && named.Value.Value is int initialization)
            {
                recurrentInitialization = initialization == 1 ? RecurrentInitialization.Identity : RecurrentInitialization.Orthogonal;
            }
        }

        return (truncationLength, elementType, recurrentInitialization);
    }
}

/// <summary>The parser's result: a model when the cell is valid, and every diagnostic found.</summary>
internal sealed record ParseResult(CellModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
