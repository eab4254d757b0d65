using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using UnrolledRnn.Generator.Emit;
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
        //    No symbol, syntax node or Location leaves this step.
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (context, cancellationToken) => CellParser.Parse(context, cancellationToken))
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
        context.RegisterSourceOutput(models, static (context, model) =>
            context.AddSource(CellEmitter.HintName(model), SourceText.From(CellEmitter.Emit(model), System.Text.Encoding.UTF8)));
    }
}
