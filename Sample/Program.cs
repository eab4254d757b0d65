using System;
using System.Diagnostics;
using System.Linq;
using Spectre.Console;
using UnrolledRnn.Sample;
using UnrolledRnn.Sample.CommandLine;
using UnrolledRnn.Sample.Experiments;
using UnrolledRnn.Sample.Plots;
using UnrolledRnn.Sample.Progress;

// The sample: trains an LSTM and an Elman RNN with truncated BPTT on a task that needs memory across 16 steps
// (SampleOptions.Delay), with a window k2 shorter and one longer than that, and the longer one again on many streams
// at once; trains an LSTM as a streaming nonlinear filter and times it one step at a time; times training and streaming
// throughput against batch size and threads; prints the results, then draws them as SVG plots. The options are in
// CommandLine/SampleCommandLine.cs, the experiments in Experiments/SampleRunner.cs.
return SampleCommandLine.Invoke(args, Run);

static int Run(SampleOptions options, bool plainRequested)
{
    var clock = Stopwatch.StartNew();
    try
    {
        options.Validate();
        if (options.OutputFolder is { } folder) OutputFolder.Prepare(folder); // before training: a bad --output costs nothing
    }
    catch (ArgumentException error)
    {
        Console.Error.WriteLine(error.Message);
        return ExitCodes.UsageError;
    }
    catch (OutputWriteException error)
    {
        Console.Error.WriteLine(error.Message);
        return ExitCodes.CannotWrite;
    }

    Console.WriteLine($"Delayed recall: the target is the input bit {SampleOptions.Delay} steps back. TBPTT with k2 = " +
                      $"{string.Join(" and ", SampleOptions.CompiledTruncationLengths)}: only a window longer than the delay can teach it.");
    SampleResults results;
    if (plainRequested || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
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

    // The results first, so that a plot that cannot be written loses none of them.
    Summary.Print(results);
    if (options.OutputFolder is { } plots)
    {
        try
        {
            Summary.PrintWritten(SamplePlots.Write(plots, results));
        }
        catch (OutputWriteException error)
        {
            Console.Error.WriteLine(error.Message);
            return ExitCodes.CannotWrite;
        }
    }

    Summary.PrintDone(clock.Elapsed);
    return results.BatchedRuns.All(run => run.Matches) ? ExitCodes.Success : ExitCodes.BatchedRunWorse;
}
