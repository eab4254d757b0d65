using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>One mutant of a source: its text and how it was made, for failure messages.</summary>
public sealed record Mutant(string Description, string Source);

/// <summary>
/// Deterministic token-level mutations of C# source, for fuzzing the generator: the source is split into Roslyn
/// tokens (trivia stays where it was), and each mutant changes one thing: a cut at a token boundary, one token
/// deleted, duplicated or swapped with its neighbour, or one identifier replaced by another of the same source.
/// </summary>
public static class Mutations
{
    /// <summary>
    /// Every mutant of <paramref name="source"/>: all cuts, deletions, duplications and swaps, and
    /// <paramref name="replacementsPerIdentifier"/> replacements of each identifier drawn with <paramref name="random"/>.
    /// Mutants equal to the source are left out; duplicates are not (see <see cref="Distinct"/>).
    /// </summary>
    public static IEnumerable<Mutant> Of(string name, string source, Random random, int replacementsPerIdentifier)
    {
        var tokens = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot()
            .DescendantTokens(descendIntoTrivia: false)
            .Where(t => !t.IsKind(SyntaxKind.EndOfFileToken))
            .Select(t => new Piece(t.LeadingTrivia.ToFullString(), t.Text, t.TrailingTrivia.ToFullString(), t.IsKind(SyntaxKind.IdentifierToken)))
            .ToArray();
        var identifiers = tokens.Where(t => t.IsIdentifier).Select(t => t.Text).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();

        for (int i = 1; i < tokens.Length; i++)
        {
            yield return new Mutant($"{name}: cut before token {i} '{tokens[i].Text}'", Join(tokens.Take(i)));
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            yield return new Mutant($"{name}: delete token {i} '{tokens[i].Text}'", With(tokens, i, ""));
            yield return new Mutant($"{name}: duplicate token {i} '{tokens[i].Text}'", With(tokens, i, tokens[i].Text + " " + tokens[i].Text));
            if (i + 1 < tokens.Length && tokens[i].Text != tokens[i + 1].Text)
            {
                var swapped = (Piece[])tokens.Clone();
                swapped[i] = tokens[i] with { Text = tokens[i + 1].Text };
                swapped[i + 1] = tokens[i + 1] with { Text = tokens[i].Text };
                yield return new Mutant($"{name}: swap tokens {i} '{tokens[i].Text}' and {i + 1} '{tokens[i + 1].Text}'", Join(swapped));
            }
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            if (!tokens[i].IsIdentifier)
            {
                continue;
            }

            var others = identifiers.Where(n => n != tokens[i].Text).ToList();
            for (int k = 0; k < replacementsPerIdentifier && others.Count > 0; k++)
            {
                int pick = random.Next(others.Count);
                string replacement = others[pick];
                others.RemoveAt(pick);
                yield return new Mutant($"{name}: replace token {i} '{tokens[i].Text}' by '{replacement}'", With(tokens, i, replacement));
            }
        }
    }

    /// <summary>The first mutant of each distinct text, in order, without the unmutated sources.</summary>
    public static List<Mutant> Distinct(IEnumerable<Mutant> mutants, IEnumerable<string> originals)
    {
        var seen = new HashSet<string>(originals, StringComparer.Ordinal);
        return mutants.Where(m => seen.Add(m.Source)).ToList();
    }

    private static string With(Piece[] tokens, int index, string text)
    {
        var copy = (Piece[])tokens.Clone();
        copy[index] = tokens[index] with { Text = text };
        return Join(copy);
    }

    private static string Join(IEnumerable<Piece> pieces)
    {
        var builder = new StringBuilder();
        foreach (var piece in pieces)
        {
            builder.Append(piece.Leading).Append(piece.Text).Append(piece.Trailing);
        }

        return builder.ToString();
    }

    private sealed record Piece(string Leading, string Text, string Trailing, bool IsIdentifier);
}
