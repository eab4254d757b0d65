using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;
using System.Numerics;
using UnrolledRnn.Sample.Experiments;

namespace UnrolledRnn.Sample.CommandLine;

/// <summary>
/// The sample's command line: its options and their help, parsed into <see cref="SampleOptions"/>. Every usage error
/// (unknown option, a value of the wrong kind) exits with <see cref="ExitCodes.UsageError"/> and a message naming the value.
/// </summary>
internal static class SampleCommandLine
{
    /// <summary>Parses <paramref name="args"/> and hands the options, and whether --plain was given, to <paramref name="run"/>.</summary>
    /// <returns>The exit code: <paramref name="run"/>'s, or <see cref="ExitCodes.UsageError"/> for a usage error.</returns>
    public static int Invoke(string[] args, Func<SampleOptions, bool, int> run)
    {
        ParseResult parsed = Create(run).Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            // System.CommandLine would print the whole help after the error and exit 1: one line per error instead, and 2.
            foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
            Console.Error.WriteLine("(--help lists the options.)");
            return ExitCodes.UsageError;
        }

        return parsed.Invoke();
    }

    private static RootCommand Create(Func<SampleOptions, bool, int> run)
    {
        var defaults = new SampleOptions();
        var cellOption = new Option<string>("--cell")
        {
            Description = $"The cell(s) trained on the memory task: {SampleOptions.Alternatives(SampleOptions.CellChoices)} (in any case).",
            HelpName = string.Join("|", SampleOptions.CellChoices),
            DefaultValueFactory = _ => defaults.Cell,
            CustomParser = ParseCell,
        };
        var k1Option = new Option<int?>("--k1")
        {
            Description = "k1, steps between updates (any value >= 1). Default: k1 = k2 for each run.",
            CustomParser = result => ParseWholeNumber<int>(result),
        };
        var k2Option = new Option<int?>("--k2")
        {
            Description = $"k2, the truncation length, {SampleOptions.Alternatives(SampleOptions.CompiledTruncationLengths)}: k2 is fixed when a cell is generated ([UnrolledCell(k2)]), " +
                          $"so only the compiled lengths exist. Default: all of them (the memory task's delay is {SampleOptions.Delay}).",
            CustomParser = result => ParseWholeNumber<int>(result),
        };
        var stepsOption = new Option<long>("--steps")
        {
            Description = "Training steps of each memory-task run.",
            DefaultValueFactory = _ => defaults.Steps,
            CustomParser = ParseWholeNumber<long>,
        };
        var filterStepsOption = new Option<long>("--filter-steps")
        {
            Description = "Training steps of the streaming filter (0: skip it and the latency measurement).",
            DefaultValueFactory = _ => defaults.FilterSteps,
            CustomParser = ParseWholeNumber<long>,
        };
        var throughputOption = new Option<int>("--throughput-ms")
        {
            Description = $"Milliseconds timed per configuration of the throughput experiment (batch {SampleOptions.Alternatives(SampleOptions.ThroughputBatchSizes)}, " +
                          $"{SampleOptions.Alternatives(SampleOptions.ThroughputThreads)} threads), after a warm-up as long (0: skip it).",
            DefaultValueFactory = _ => defaults.ThroughputMilliseconds,
            CustomParser = ParseWholeNumber<int>,
        };
        var seedOption = new Option<int>("--seed")
        {
            Description = "Seed of the parameters and of the generated data.",
            DefaultValueFactory = _ => defaults.Seed,
            CustomParser = ParseWholeNumber<int>,
        };
        var outputOption = new Option<string>("--output", "-o")
        {
            Description = "Folder the SVG plots are written to; checked before any training.",
            DefaultValueFactory = _ => defaults.OutputFolder!,
        };
        var plainOption = new Option<bool>("--plain")
        {
            Description = "Plain progress lines instead of the live display (automatic when output is redirected).",
        };

        var root = new RootCommand(
            "UnrolledRnn sample: truncated BPTT on a memory task, one stream and many at once, a streaming filter, latency, throughput, SVG plots. " +
            $"Exit codes: {ExitCodes.UsageError} for a usage error, {ExitCodes.CannotWrite} if the output folder or a plot cannot be written, " +
            $"{ExitCodes.BatchedRunWorse} if the memory task trained batched ended clearly worse than trained on one stream.")
        {
            cellOption, k1Option, k2Option, stepsOption, filterStepsOption, throughputOption, seedOption, outputOption, plainOption,
        };
        root.SetAction(parsed => run(
            defaults with
            {
                Cell = parsed.GetValue(cellOption)!,
                K1 = parsed.GetValue(k1Option),
                K2 = parsed.GetValue(k2Option),
                Steps = parsed.GetValue(stepsOption),
                FilterSteps = parsed.GetValue(filterStepsOption),
                ThroughputMilliseconds = parsed.GetValue(throughputOption),
                Seed = parsed.GetValue(seedOption),
                OutputFolder = parsed.GetValue(outputOption),
            },
            parsed.GetValue(plainOption)));
        return root;
    }

    /// <summary>lstm, elman or both, in any case; returned in lower case.</summary>
    private static string ParseCell(ArgumentResult result)
    {
        string given = Given(result);
        string cell = given.ToLowerInvariant();
        if (SampleOptions.CellChoices.Contains(cell)) return cell;
        result.AddError($"{OptionName(result)} expects {SampleOptions.Alternatives(SampleOptions.CellChoices)} (in any case), not '{given}'.");
        return cell;
    }

    /// <summary>An integer of type <typeparamref name="T"/>; the range each option needs is <see cref="SampleOptions.Validate"/>'s.</summary>
    private static T ParseWholeNumber<T>(ArgumentResult result)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        string given = Given(result);
        if (T.TryParse(given, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value)) return value;
        string expected = BigInteger.TryParse(given, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? string.Create(CultureInfo.InvariantCulture, $"a whole number from {T.MinValue} to {T.MaxValue}")
            : "a whole number";
        result.AddError($"{OptionName(result)} expects {expected}, not '{given}'.");
        return T.Zero;
    }

    // A custom parser runs only when the option was given a value (a repeated option is an error of its own).
    private static string Given(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
}
