using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>Every text of the sample and of the README that gives the memory task's delay gives the one it uses.</summary>
public sealed class SampleDelayTextTests
{
    // "memory across 16 steps", "the bit seen 16 steps earlier", "16 steps back".
    private static readonly Regex s_delay = new(@"across (\d+) steps|(\d+) steps (?:back|earlier)");

    [Fact]
    public void The_texts_give_the_delay_the_task_uses()
    {
        string root = ChildProcess.RepositoryRoot();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "Sample"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                           !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Append(Path.Combine(root, "README.md"));

        var stated = (from path in sources
                      from line in File.ReadLines(path).Select((text, index) => (Text: text, Number: index + 1))
                      from match in s_delay.Matches(line.Text)
                      select (Where: $"{Path.GetRelativePath(root, path)}:{line.Number}", Delay: int.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value)))
                     .ToList();

        Assert.NotEmpty(stated);
        Assert.All(stated, text => Assert.True(text.Delay == SampleOptions.Delay, $"{text.Where} says {text.Delay} steps; the delay is {SampleOptions.Delay}"));
    }
}
