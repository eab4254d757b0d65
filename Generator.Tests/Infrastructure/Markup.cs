using System;
using Microsoft.CodeAnalysis.Text;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>
/// Source text with one span marked as <c>[|text|]</c>, the convention of Roslyn's analyzer tests: the markers
/// are removed and the span they enclosed is returned, so a test states an expected location by writing it
/// where it is.
/// </summary>
public static class Markup
{
    private const string Open = "[|", Close = "|]";

    public static (string Source, TextSpan Span) Parse(string markup)
    {
        int start = markup.IndexOf(Open, StringComparison.Ordinal);
        int end = markup.IndexOf(Close, start + Open.Length, StringComparison.Ordinal);
        if (start < 0 || end < 0 || markup.IndexOf(Open, end, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException("Expected exactly one span marked [|...|] in:\n" + markup);
        }

        string source = markup.Remove(end, Close.Length).Remove(start, Open.Length);
        return (source, TextSpan.FromBounds(start, end - Open.Length));
    }
}
