using System;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using UnrolledRnn.Sample;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Sample.Progress;

// The sample: trains an LSTM and an Elman RNN with truncated BPTT on a task that needs memory across 8 steps, with a
// window k2 shorter and one longer than that; trains an LSTM as a streaming nonlinear filter and times it one step at
// a time; draws the results as SVG plots. The experiments are in Experiments/SampleRunner.cs.
var defaults = new SampleOptions();
string compiled = string.Join(", ", SampleOptions.CompiledTruncationLengths);
var cellOption = new Option<string>("--cell")
{
    Description = "The cell(s) trained on the memory task: lstm, elman or both.",
    DefaultValueFactory = _ => defaults.Cell,
};
cellOption.AcceptOnlyFromAmong("lstm", "elman", "both");
var k1Option = new Option<int?>("--k1")
{
    Description = "k1, steps between updates (any value >= 1). Default: k1 = k2 for each run.",
};
var k2Option = new Option<int?>("--k2")
{
    Description = $"k2, the truncation length, one of {compiled}: k2 is fixed when a cell is generated ([UnrolledCell(k2)]), " +
                  $"so only the compiled lengths exist. Default: all of them (the memory task's delay is {SampleOptions.Delay}).",
};
var stepsOption = new Option<long>("--steps")
{
    Description = "Training steps of each memory-task run.",
    DefaultValueFactory = _ => defaults.Steps,
};
var filterStepsOption = new Option<long>("--filter-steps")
{
    Description = "Training steps of the streaming filter (0: skip it and the latency measurement).",
    DefaultValueFactory = _ => defaults.FilterSteps,
};
var seedOption = new Option<int>("--seed")
{
    Description = "Seed of the parameters and of the generated data.",
    DefaultValueFactory = _ => defaults.Seed,
};
var outputOption = new Option<string>("--output", "-o")
{
    Description = "Folder the SVG plots are written to.",
    DefaultValueFactory = _ => defaults.OutputFolder!,
};
var plainOption = new Option<bool>("--plain")
{
    Description = "Plain progress lines instead of the live display (automatic when output is redirected).",
};

var root = new RootCommand("UnrolledRnn sample: truncated BPTT on a memory task, a streaming filter, latency, SVG plots.")
{
    cellOption, k1Option, k2Option, stepsOption, filterStepsOption, seedOption, outputOption, plainOption,
};
root.SetAction(parseResult =>
{
    var options = defaults with
    {
        Cell = parseResult.GetValue(cellOption)!,
        K1 = parseResult.GetValue(k1Option),
        K2 = parseResult.GetValue(k2Option),
        Steps = parseResult.GetValue(stepsOption),
        FilterSteps = parseResult.GetValue(filterStepsOption),
        Seed = parseResult.GetValue(seedOption),
        OutputFolder = parseResult.GetValue(outputOption),
    };
    return Run(options, plain: parseResult.GetValue(plainOption) || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive);
});
return root.Parse(args).Invoke();

static int Run(SampleOptions options, bool plain)
{
    Console.WriteLine($"Delayed recall: the target is the input bit {SampleOptions.Delay} steps back. TBPTT with k2 = " +
                      $"{string.Join(" and ", SampleOptions.CompiledTruncationLengths)}: only a window longer than the delay can teach it.");
    SampleResults results;
    try
    {
        if (plain)
        {
            // Logs get plain text: no colour codes, no hyperlinks, and a width that does not wrap the table.
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Capabilities.Links = false;
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 120;
            results = SampleRunner.Run(options, new PlainProgress(Console.Out));
        }
        else
        {
            SampleResults? live = null;
            SpectreProgress.Create().Start(context => live = SampleRunner.Run(options, new SpectreProgress(context)));
            results = live!;
        }
    }
    catch (ArgumentException error)
    {
        Console.Error.WriteLine(error.Message);
        return 2;
    }

    Summary.Print(results);
    return 0;
}
