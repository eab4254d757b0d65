using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Repository;

/// <summary>
/// The docs stand on their own in a clone: every relative link of README.md and docs/ leads to a file (and heading)
/// of the repository, and no file cites the team's brief (PERFORMANCE.md), which is not part of it.
/// </summary>
public sealed class DocsLinksTests
{
    private static readonly Regex s_link = new(@"\]\((?<target>[^)\s]+)\)");
    private static readonly Regex s_heading = new(@"^#+ (?<title>.+)$", RegexOptions.Multiline);
    private static readonly Regex s_explicitAnchor = new(@"<a id=""(?<id>[^""]+)""></a>");
    private static readonly string[] s_textExtensions = [".cs", ".md", ".py", ".csproj", ".props", ".sln", ".config"];

    [Fact]
    public void Every_relative_link_in_the_docs_leads_to_a_file_and_heading_of_the_repository()
    {
        string root = ChildProcess.RepositoryRoot();
        var pages = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md"));
        var broken = new List<string>();
        foreach (string page in pages)
        {
            foreach (Match link in s_link.Matches(File.ReadAllText(page)))
            {
                string target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] parts = target.Split('#', 2);
                string file = parts[0].Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, parts[0]));
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    broken.Add($"{Path.GetRelativePath(root, page)}: {target} (no such file)");
                }
                else if (parts.Length == 2 && file.EndsWith(".md", StringComparison.Ordinal) && !HeadingAnchors(file).Contains(parts[1]))
                {
                    broken.Add($"{Path.GetRelativePath(root, page)}: {target} (no such heading)");
                }
            }
        }

        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void No_file_cites_the_team_brief_outside_the_repository()
    {
        string root = ChildProcess.RepositoryRoot();
        var citing = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => s_textExtensions.Contains(Path.GetExtension(path)) && !IsBuildOutput(Path.GetRelativePath(root, path)))
            .Where(path => File.ReadAllText(path) is var text
                && (text.Contains("PERFORMANCE.md", StringComparison.Ordinal) || text.Contains("../shared", StringComparison.Ordinal)))
            .Select(path => Path.GetRelativePath(root, path))
            .Where(path => path != Path.Combine("Generator.Tests", "Repository", nameof(DocsLinksTests) + ".cs"))
            .ToList();
        Assert.True(citing.Count == 0, "these files cite PERFORMANCE.md or ../shared, which a clone does not have:\n" + string.Join("\n", citing));
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git");

    /// <summary>
    /// The anchors of a page: GitHub's for its headings (lower case, punctuation dropped, spaces as hyphens) and its
    /// explicit <c>&lt;a id="..."&gt;</c> anchors (docs/diagnostics.md's, which the diagnostics' help links use).
    /// </summary>
    private static HashSet<string> HeadingAnchors(string page)
    {
        string text = File.ReadAllText(page).Replace("\r\n", "\n", StringComparison.Ordinal);
        return s_heading.Matches(text)
            .Select(m => Regex.Replace(m.Groups["title"].Value.Trim().ToLowerInvariant(), @"[^\p{L}\p{Nd} _-]", "").Replace(' ', '-'))
            .Concat(s_explicitAnchor.Matches(text).Select(m => m.Groups["id"].Value))
            .ToHashSet();
    }
}
