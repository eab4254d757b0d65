using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using UnrolledRnn.Generator.Helpers;

namespace UnrolledRnn.Generator.Models;

/// <summary>
/// A diagnostic as equatable data (descriptor id, location pieces, message arguments), carried on its own
/// pipeline branch and turned into a <see cref="Diagnostic"/> only when reported.
/// </summary>
internal sealed record DiagnosticInfo(string Id, string? FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
    {
        var lineSpan = location.GetLineSpan();
        return new DiagnosticInfo(
            descriptor.Id,
            location.SourceTree?.FilePath,
            location.SourceSpan,
            lineSpan.Span,
            System.Linq.Enumerable.Select(arguments, a => a?.ToString() ?? "").ToEquatableArray());
    }

    public Diagnostic ToDiagnostic()
    {
        var location = FilePath is null ? Location.None : Location.Create(FilePath, Span, LineSpan);
        return Diagnostic.Create(Diagnostics.DiagnosticDescriptors.ById(Id), location, System.Linq.Enumerable.ToArray(Arguments));
    }
}
