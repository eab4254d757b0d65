using System;
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
    /// <summary>The largest k2 accepted: Forward and Backward hold one call per step (about 103 bytes of IL), and
    /// beyond about 580 steps they would pass the JIT's 60,000-byte limit for optimising a method (docs/design.md).</summary>
    public const int MaxTruncationLength = 512;

    public const string EquationsMethodName = "Equations";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var classSyntax = (TypeDeclarationSyntax)context.TargetNode;
        var cellSymbol = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        string cellName = classSyntax.Identifier.IsMissing ? "(unnamed)" : cellSymbol.Name;

        // The generated code repeats the names of the namespace, the containing types and the cell: while one
        // of them is missing (the declaration does not parse), there is nothing to generate into.
        if (FindIncompleteName(classSyntax) is { } incomplete)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadCellDeclaration, incomplete.Location, cellName, incomplete.Reason));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        if (classSyntax is RecordDeclarationSyntax record)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadCellDeclaration, record.Keyword.GetLocation(), cellName,
                "is a record; expected a plain class, as a record's copy ('with') would share the cell's buffers"));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        CheckDeclaration(classSyntax, cellName, diagnostics, out var containingTypes);
        CheckVarIsNotAType(classSyntax, context.SemanticModel, cellName, diagnostics, cancellationToken);
        var (truncationLength, precision, recurrentInitialization, fastActivations) =
            ReadAttribute(context.Attributes[0], classSyntax, cellName, diagnostics);

        var methods = classSyntax.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m.Identifier.ValueText == EquationsMethodName).ToList();
        if (methods.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EquationsMissing, classSyntax.Identifier.GetLocation(), cellName));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        if (methods.Count > 1)
        {
            foreach (var extra in methods.Skip(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateName, extra.Identifier.GetLocation(), EquationsMethodName,
                    "expected exactly one Equations method, whose body holds the cell's equations"));
            }

            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        bool declarationIsValid = !HasErrors(diagnostics);
        var reader = new EquationReader(context.SemanticModel, methods[0], cellSymbol, diagnostics, cancellationToken);
        bool equationsValid = reader.Read() && !HasErrors(diagnostics);

        // With a sound declaration and signature, errors in the equations alone still leave the members'
        // signatures to emit: the user's other code then compiles, and the equations' errors are all they see.
        if (!equationsValid && !(declarationIsValid && reader.SignatureIsValid))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var model = new CellModel(
            NamespaceOf(cellSymbol),
            containingTypes.ToEquatableArray(),
            cellName,
            truncationLength,
            precision,
            recurrentInitialization,
            reader.Vectors.ToEquatableArray(),
            reader.Parameters.ToEquatableArray(),
            equationsValid ? reader.Statements.ToEquatableArray() : EquatableArray<Statement>.Empty,
            equationsValid,
            fastActivations);
        return new ParseResult(model, diagnostics.ToEquatableArray());
    }

    private static bool HasErrors(List<DiagnosticInfo> diagnostics) =>
        diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);

    /// <summary>The cell's namespace as written, without '@' escapes (the emitter adds them back), or null for the global one.</summary>
    private static string? NamespaceOf(INamedTypeSymbol cell)
    {
        var parts = new List<string>();
        for (var ns = cell.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Insert(0, ns.Name);
        }

        return parts.Count == 0 ? null : string.Join(".", parts);
    }

    /// <summary>The first declaration around the cell whose name did not parse, and what is wrong with it.</summary>
    private static (Location Location, string Reason)? FindIncompleteName(TypeDeclarationSyntax classSyntax)
    {
        if (classSyntax.Identifier.IsMissing)
        {
            return (classSyntax.Keyword.GetLocation(), "has no name; expected 'class Name'");
        }

        foreach (var ancestor in classSyntax.Ancestors())
        {
            switch (ancestor)
            {
                case TypeDeclarationSyntax type when type.Identifier.IsMissing:
                    return (type.Keyword.GetLocation(), "is nested in a type declaration without a name; expected a named containing type");
                case BaseNamespaceDeclarationSyntax ns when ns.Name.IsMissing || ns.Name.DescendantTokens().Any(t => t.IsMissing):
                    return (ns.NamespaceKeyword.GetLocation(),
                        "is in a namespace declaration without a complete name; expected 'namespace Name' or 'namespace Outer.Inner'");
            }
        }

        return null;
    }

    /// <summary>
    /// The generated code declares its locals with 'var': a type named 'var' in scope of the cell (CS8981 warns of
    /// such names) would turn every one of them into an error.
    /// </summary>
    private static void CheckVarIsNotAType(TypeDeclarationSyntax classSyntax, SemanticModel semanticModel, string cellName,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var varType = semanticModel.LookupNamespacesAndTypes(classSyntax.OpenBraceToken.Span.End, name: "var").FirstOrDefault();
        if (varType is null)
        {
            return;
        }

        var location = varType.Locations.FirstOrDefault(l => l.SourceTree == classSyntax.SyntaxTree) ?? classSyntax.Identifier.GetLocation();
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadCellDeclaration, location, cellName,
            $"sees a type named 'var' ('{varType.ToDisplayString()}'), which would break the 'var' declarations of the generated code; rename that type"));
    }

    private static void CheckDeclaration(TypeDeclarationSyntax classSyntax, string cellName, List<DiagnosticInfo> diagnostics,
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

        if (classSyntax.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.StaticKeyword)) is { RawKind: not 0 } staticModifier)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BadCellDeclaration, staticModifier.GetLocation(), cellName,
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

    private static (int TruncationLength, Precision Precision, RecurrentInitialization RecurrentInitialization, bool FastActivations) ReadAttribute(
        AttributeData attribute, TypeDeclarationSyntax classSyntax, string cellName, List<DiagnosticInfo> diagnostics)
    {
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
        var attributeLocation = attributeSyntax?.GetLocation() ?? classSyntax.Identifier.GetLocation();
        var argumentSyntax = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null);
        int truncationLength = 0;
        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int k2)
        {
            truncationLength = k2;
            if (k2 < 1 || k2 > MaxTruncationLength)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TruncationLengthOutOfRange, argumentSyntax?.GetLocation() ?? attributeLocation,
                    cellName, k2, MaxTruncationLength, "Forward and Backward hold one call per step, and longer methods defeat the JIT's optimiser"));
            }
        }
        else
        {
            // No argument, or one that does not bind to an int constant ("four", a misspelt constant).
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TruncationLengthOutOfRange, argumentSyntax?.GetLocation() ?? attributeLocation,
                cellName, argumentSyntax is null ? "missing" : $"'{argumentSyntax}', not an integer constant",
                MaxTruncationLength, "it is the number of steps Forward and Backward unroll"));
        }

        // The enums' values arrive as their underlying ints; the generator compiles the runtime's enums, so they
        // convert to the very members the attribute names (a value outside them keeps the default).
        var precision = Precision.Single;
        var recurrentInitialization = RecurrentInitialization.Orthogonal;
        bool fastActivations = false;
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == nameof(Precision) && named.Value.Value is int precisionValue && Enum.IsDefined(typeof(Precision), precisionValue))
            {
                precision = (Precision)precisionValue;
            }
            else if (named.Key == nameof(RecurrentInitialization) && named.Value.Value is int initialization &&
                     Enum.IsDefined(typeof(RecurrentInitialization), initialization))
            {
                recurrentInitialization = (RecurrentInitialization)initialization;
            }
            else if (named.Key == "FastActivations" && named.Value.Value is bool fast)
            {
                fastActivations = fast;
            }
        }

        return (truncationLength, precision, recurrentInitialization, fastActivations);
    }
}

/// <summary>The parser's result: a model when the cell is valid, and every diagnostic found.</summary>
internal sealed record ParseResult(CellModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
