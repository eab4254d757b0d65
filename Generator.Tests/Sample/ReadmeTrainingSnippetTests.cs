using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using UnrolledRnn.Sample.Cells;
using UnrolledRnn.Sample.Tasks;
using UnrolledRnn.Training;
using Xunit;

namespace UnrolledRnn.Tests.Sample;

/// <summary>
/// Keeps the README's "Train it" snippet honest: the lines between the markers below are compiled and run here, and
/// must appear verbatim (less this file's indentation) in README.md.
/// </summary>
public sealed class ReadmeTrainingSnippetTests
{
    [Fact]
    public void The_snippet_trains_the_long_window_lstm_on_delayed_recall()
    {
        // README snippet begin
        var cell = new LstmLong();                    // [UnrolledCell(32)]: k2 = 32
        cell.InitializeParameters(seed: 1);
        var trainer = new TbpttTrainer<LstmLong, float>(cell, new MeanSquaredError<float>(), new Adam<float>(3e-3),
            updateInterval: 32,                       // k1
            new TbpttOptions { MaxGradientNorm = 1.0 });

        var task = new DelayedRecall(delay: 16, seed: 1);
        var inputs = new float[2048];
        var targets = new float[2048];
        for (int chunk = 0; chunk < 200; chunk++)
        {
            task.Next(inputs, targets);               // the next 2048 steps of the stream
            trainer.Run(inputs, targets);             // one update every k1 steps
        }

        Console.WriteLine(trainer.LastReport);        // loss, gradient norm, ... of the last update
        var output = new float[1];
        cell.Step([1f], output);                      // then stream: one step at a time, no allocation
        // README snippet end

        Assert.True(trainer.LastReport.Applied);
        Assert.True(trainer.LastReport.Loss / trainer.LastReport.LossSteps < 0.5f, trainer.LastReport.ToString());
    }

    [Fact]
    public void The_readme_shows_the_snippet_verbatim()
    {
        string[] lines = File.ReadAllLines(ThisFile());
        int begin = Array.FindIndex(lines, line => line.Trim() == "// README snippet begin");
        int end = Array.FindIndex(lines, line => line.Trim() == "// README snippet end");
        string indent = new string(' ', lines[begin].Length - lines[begin].TrimStart().Length);
        string snippet = string.Join("\n", lines[(begin + 1)..end].Select(line => line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart()));
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "README.md")).Replace("\r\n", "\n");
        Assert.Contains(snippet, readme);
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
