using System.Linq;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>The sample's command line, run as a user runs it: every usage error exits 2 and names the value, before any training.</summary>
public sealed class SampleCommandLineTests
{
    private const int UsageError = 2;

    [Theory]
    [InlineData(new[] { "--bogus" }, "'--bogus'")]
    [InlineData(new[] { "extra" }, "'extra'")]
    [InlineData(new[] { "--cell", "foo" }, "'foo'")]
    [InlineData(new[] { "--k2", "5" }, "--k2 5")]
    [InlineData(new[] { "--k2", "abc" }, "'abc'")]
    [InlineData(new[] { "--k1", "0" }, "--k1 must be at least 1, not 0")]
    [InlineData(new[] { "--k1", "1.5" }, "'1.5'")]
    [InlineData(new[] { "--steps", "abc" }, "'abc'")]
    [InlineData(new[] { "--steps", "0" }, "--steps must be at least 1, not 0")]
    [InlineData(new[] { "--steps", "99999999999999999999" }, "'99999999999999999999'")]
    [InlineData(new[] { "--filter-steps", "-1" }, "not -1")]
    [InlineData(new[] { "--throughput-ms", "-1" }, "--throughput-ms must be at least 0 (0 skips the throughput experiment), not -1")]
    [InlineData(new[] { "--seed", "x" }, "'x'")]
    [InlineData(new[] { "--output", "" }, "--output must name a folder, not ''")]
    public void A_usage_error_exits_2_names_the_value_and_trains_nothing(string[] arguments, string named)
    {
        // A tiny budget for every option the case leaves out, so that an error the sample missed costs a second, not minutes.
        using var folder = new TemporaryDirectory();
        var result = SampleProcess.Run([.. arguments, .. TinyBudgetExcept(arguments, folder.Path)]);

        Assert.True(result.ExitCode == UsageError, result.ToString());
        Assert.Contains(named, result.Stderr);
        Assert.Equal("", result.Stdout); // no help dump, no training
        SampleProcess.AssertNoStackTrace(result);
    }

    [Fact]
    public void The_cell_is_accepted_in_any_case()
    {
        using var folder = new TemporaryDirectory();
        var result = SampleProcess.Run("--cell", "LSTM", "--k2", "8", "--steps", "64", "--filter-steps", "0", "--throughput-ms", "0", "--output", folder.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("│ LSTM, k2 = 8 ", result.Stdout);
        Assert.DoesNotContain("Elman", result.Stdout);
    }

    [Fact]
    public void Help_exits_0_and_lists_the_cells()
    {
        var result = SampleProcess.Run("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--cell <lstm|elman|both>", result.Stdout);
    }

    private static string[] TinyBudgetExcept(string[] given, string folder) =>
        new[] { ("--steps", "64"), ("--filter-steps", "0"), ("--throughput-ms", "0"), ("--output", folder) }
            .Where(option => !given.Contains(option.Item1))
            .SelectMany(option => new[] { option.Item1, option.Item2 })
            .ToArray();
}
