using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Emit;
using UnrolledRnn.Generator.Helpers;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Parsing;

namespace UnrolledRnn.Generator;

/// <summary>
/// The UnrolledRnn source generator: for every class marked <c>[UnrolledCell(k2)]</c>, reads its
/// <c>Equations</c> and adds forward, backward (BPTT) and streaming-step members unrolled over k2 steps.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class UnrollGenerator : IIncrementalGenerator
{
    public const string AttributeMetadataName = "UnrolledRnn.UnrolledCellAttribute";

    /// <summary>Tracking names of the pipeline steps, asserted by the incrementality tests.</summary>
    public static class Steps
    {
        public const string Parse = "Parse";
        public const string Diagnostics = "Diagnostics";
        public const string Model = "Model";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Every class carrying the attribute, read into an equatable model plus diagnostics (as data).
        //    No symbol, syntax node or Location leaves this step. An unexpected exception becomes URNN022
        //    on the class instead of escaping: the other cells are still generated.
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => Guarded(
                    () => CellParser.Parse(context, cancellationToken),
                    ((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation(),
                    context.TargetSymbol.Name))
            .WithTrackingName(Steps.Parse);

        // 2. Diagnostics on their own branch, so that a moved location does not regenerate code.
        var diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (context, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        // 3. Valid models only: an edit that leaves a model equal leaves its output cached.
        var models = parsed
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(Steps.Model);
        //    The model holds no location, so an unexpected exception while emitting (or adding the source) is
        //    reported without one.
        context.RegisterSourceOutput(models, static (context, model) =>
        {
            try
            {
                context.AddSource(CellEmitter.HintName(model), SourceText.From(CellEmitter.Emit(model), System.Text.Encoding.UTF8));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, model.TypeName, Describe(exception)));
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="parse"/>, turning an unexpected exception into URNN022 at <paramref name="location"/>.
    /// Cancellation is not an error and propagates.
    /// </summary>
    internal static ParseResult Guarded(Func<ParseResult> parse, Location location, string cellName)
    {
        try
        {
            return parse();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, cellName, Describe(exception));
            return new ParseResult(null, new[] { diagnostic }.ToEquatableArray());
        }
    }

    private static string Describe(Exception exception) => exception.GetType().Name + ": " + exception.Message;
}
