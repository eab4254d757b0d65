using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>
/// Every text of the sample, and of the README's section on the sample, that gives the memory task's delay gives the one
/// it uses. (Other sections of the README have examples of their own, with delays of their own.)
/// </summary>
public sealed class SampleDelayTextTests
{
    // "memory across 16 steps", "the bit seen 16 steps earlier", "16 steps back".
    private static readonly Regex s_delay = new(@"across (\d+) steps|\b(\d+) steps (?:back|earlier)");

    [Fact]
    public void The_texts_give_the_delay_the_task_uses()
    {
        string root = ChildProcess.RepositoryRoot();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "Sample"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                           !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(path => (Path: path, Lines: File.ReadLines(path).Select((text, index) => (Text: text, Number: index + 1)).ToList()))
            .Append((Path: Path.Combine(root, "README.md"), Lines: SampleSection(Path.Combine(root, "README.md"))));

        var stated = (from source in sources
                      let path = source.Path
                      from line in source.Lines
                      from match in s_delay.Matches(line.Text)
                      select (Where: $"{Path.GetRelativePath(root, path)}:{line.Number}", Delay: int.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value)))
                     .ToList();

        Assert.NotEmpty(stated);
        Assert.All(stated, text => Assert.True(text.Delay == SampleOptions.Delay, $"{text.Where} says {text.Delay} steps; the delay is {SampleOptions.Delay}"));
    }

    /// <summary>The numbered lines of README.md's "What the sample shows" section.</summary>
    private static List<(string Text, int Number)> SampleSection(string readme)
    {
        var lines = File.ReadLines(readme).Select((text, index) => (Text: text, Number: index + 1)).ToList();
        int start = lines.FindIndex(line => line.Text == "## What the sample shows");
        Assert.True(start >= 0, "README.md has no \"What the sample shows\" section");
        int end = lines.FindIndex(start + 1, line => line.Text.StartsWith("## ", StringComparison.Ordinal));
        return lines.GetRange(start, (end < 0 ? lines.Count : end) - start);
    }
}
