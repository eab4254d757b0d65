using System.IO;
using UnrolledRnn.Sample.Plots;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>
/// An --output the sample cannot write: refused before any training when the folder itself is the problem; when only a
/// plot cannot be written, the results are printed first. Either way one line on stderr naming the path, exit code 1.
/// </summary>
public sealed class SampleOutputFolderTests
{
    private const int CannotWrite = 1;

    [Theory]
    [InlineData("a-file")]          // --output is a regular file
    [InlineData("a-file/plots")]    // --output is under a regular file
    public void An_output_folder_that_cannot_be_written_is_refused_before_training(string output)
    {
        using var work = new TemporaryDirectory();
        File.WriteAllText(work.File("a-file"), "not a folder");
        string folder = Path.Combine(work.Path, output);

        var result = SampleProcess.Run("--cell", "lstm", "--k2", "8", "--steps", "64", "--filter-steps", "0", "--throughput-ms", "0", "--output", folder);

        Assert.True(result.ExitCode == CannotWrite, result.ToString());
        Assert.Equal("", result.Stdout); // not even the first run's "64 steps" line
        string error = Assert.Single(SampleProcess.Lines(result.Stderr));
        Assert.Contains($"'{Path.GetFullPath(folder)}'", error);
        Assert.Contains($"'{work.File("a-file")}' is a file, not a folder", error);
        SampleProcess.AssertNoStackTrace(result);
    }

    [Fact]
    public void A_plot_that_cannot_be_written_comes_after_the_results_table()
    {
        using var work = new TemporaryDirectory();
        string blocked = work.File(SamplePlots.LossCurvesFile);
        Directory.CreateDirectory(blocked); // the folder is writable, the plot's own path is not a file

        var result = SampleProcess.Run("--cell", "lstm", "--k2", "8", "--steps", "64", "--filter-steps", "0", "--throughput-ms", "0", "--output", work.Path);

        Assert.True(result.ExitCode == CannotWrite, result.ToString());
        Assert.Contains("│ LSTM, k2 = 8 ", result.Stdout); // the table, whose training cost was paid
        string error = Assert.Single(SampleProcess.Lines(result.Stderr));
        Assert.Equal($"Cannot write '{blocked}': it is a folder, not a file.", error);
        SampleProcess.AssertNoStackTrace(result);
    }
}
