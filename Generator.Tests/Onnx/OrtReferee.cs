using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using UnrolledRnn.Onnx;
using Xunit.Sdk;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// Runs an exported model in ONNX Runtime and compares it with the cell's own <c>Step</c>. A model that ONNX
/// Runtime refuses fails with its message (which names the node); a mismatch fails naming, of the outputs and
/// new states that differ, the one computed first in the graph, and the node that produces it. Differences are relative per quantity: max |ort − step| / max |step| over every
/// step, as in the PyTorch parity tests.
/// </summary>
public static class OrtReferee
{
    /// <summary>Loads <paramref name="path"/> on one thread, or fails with ONNX Runtime's reason.</summary>
    public static InferenceSession Load(string path)
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException error)
        {
            throw new XunitException($"ONNX Runtime refuses {path}: {error.Message}");
        }
    }

    /// <summary>
    /// Streams <paramref name="steps"/> steps through the step model and through <paramref name="cell"/>.Step from
    /// the cell's current state; returns the worst relative difference and leaves the cell stepped.
    /// </summary>
    public static double CompareSteps<T>(IUnrolledCell<T> cell, OnnxStepGraph graph, string path, int steps, double tolerance, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var session = Load(path);
        var inputs = Inputs<T>(steps * cell.InputSize, seed);
        var states = Split(cell.State.ToArray(), graph.States.Select(s => s.Size));
        var expectedOutputs = new T[steps * cell.OutputSize];
        var actualOutputs = new T[steps * cell.OutputSize];
        var expectedStates = new T[steps * cell.StateSize];
        var actualStates = new T[steps * cell.StateSize];
        string[] inputNames = graph.States.Select(s => s.Previous).Concat(graph.Inputs.Select(i => i.Name)).ToArray();
        string[] outputNames = graph.States.Select(s => s.Next).Concat(graph.Outputs.Select(o => o.Name)).ToArray();
        using var runOptions = new RunOptions();
        for (int t = 0; t < steps; t++)
        {
            var x = inputs.AsSpan(t * cell.InputSize, cell.InputSize);
            var xs = Split(x.ToArray(), graph.Inputs.Select(i => i.Size));
            var values = states.Concat(xs).Select(v => OrtValue.CreateTensorValueFromMemory(v, new long[] { 1, v.Length })).ToArray();
            using (var results = session.Run(runOptions, inputNames, values, outputNames))
            {
                for (int s = 0; s < graph.States.Count; s++)
                {
                    states[s] = results.ElementAt(s).GetTensorDataAsSpan<T>().ToArray();
                }

                Concat(states).CopyTo(actualStates, t * cell.StateSize);
                Concat(results.Skip(graph.States.Count).Select(r => r.GetTensorDataAsSpan<T>().ToArray())).CopyTo(actualOutputs, t * cell.OutputSize);
            }

            foreach (var value in values)
            {
                value.Dispose();
            }

            cell.Step(x, expectedOutputs.AsSpan(t * cell.OutputSize, cell.OutputSize));
            cell.State.CopyTo(expectedStates.AsSpan(t * cell.StateSize, cell.StateSize));
        }

        return Judge("step model", graph, tolerance,
            Differences(graph.Outputs.Select(o => (o.Name, o.Size)).ToArray(), cell.OutputSize, actualOutputs, expectedOutputs)
                .Concat(Differences(graph.States.Select(s => (s.Next, s.Size)).ToArray(), cell.StateSize, actualStates, expectedStates)));
    }

    /// <summary>
    /// Runs <paramref name="steps"/> steps of the sequence model, in one call, and of <paramref name="cell"/>.Step,
    /// both from the cell's current state; returns the worst relative difference of the outputs and final states.
    /// </summary>
    public static double CompareSequence<T>(IUnrolledCell<T> cell, OnnxStepGraph graph, string path, int steps, double tolerance, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var session = Load(path);
        var inputs = Inputs<T>(steps * cell.InputSize, seed);
        var initial = Split(cell.State.ToArray(), graph.States.Select(s => s.Size));
        var values = initial.Select(v => OrtValue.CreateTensorValueFromMemory(v, new long[] { 1, v.Length }))
            .Concat(Columns(inputs, steps, graph.Inputs.Select(i => i.Size)).Select((v, k) =>
                OrtValue.CreateTensorValueFromMemory(v, new long[] { steps, 1, graph.Inputs[k].Size })))
            .ToArray();
        string[] inputNames = graph.States.Select(s => "initial_" + s.Previous).Concat(graph.Inputs.Select(i => i.Name + "_sequence")).ToArray();
        string[] outputNames = graph.States.Select(s => "final_" + s.Next).Concat(graph.Outputs.Select(o => o.Name + "_sequence")).ToArray();

        var expectedOutputs = new T[steps * cell.OutputSize];
        for (int t = 0; t < steps; t++)
        {
            cell.Step(inputs.AsSpan(t * cell.InputSize, cell.InputSize), expectedOutputs.AsSpan(t * cell.OutputSize, cell.OutputSize));
        }

        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, inputNames, values, outputNames);
        foreach (var value in values)
        {
            value.Dispose();
        }

        var finalStates = Concat(results.Take(graph.States.Count).Select(r => r.GetTensorDataAsSpan<T>().ToArray()));
        var outputs = Rows(results.Skip(graph.States.Count).Select(r => r.GetTensorDataAsSpan<T>().ToArray()).ToArray(), steps, graph.Outputs.Select(o => o.Size).ToArray());
        return Judge("sequence model", graph, tolerance,
            Differences(graph.Outputs.Select(o => (o.Name, o.Size)).ToArray(), cell.OutputSize, outputs, expectedOutputs)
                .Concat(Differences(graph.States.Select(s => (s.Next, s.Size)).ToArray(), cell.StateSize, finalStates, cell.State.ToArray())));
    }

    /// <summary>
    /// The worst relative difference; fails if one is beyond <paramref name="tolerance"/>, naming, of the values
    /// that differ, the one computed first in the graph (the closest to the cause) and its node.
    /// </summary>
    private static double Judge(string model, OnnxStepGraph graph, double tolerance, IEnumerable<Difference> differences)
    {
        var all = differences.ToArray();
        var beyond = all.Where(d => !(d.Relative <= tolerance))
            .OrderBy(d => graph.Nodes.ToList().FindIndex(n => n.Outputs.Contains(d.Name))).ToArray();
        if (beyond.Length > 0)
        {
            var first = beyond[0];
            var node = graph.Nodes.First(n => n.Outputs.Contains(first.Name));
            throw new XunitException(
                $"The {model}'s '{first.Name}' (node '{node.Name}', {node.OpType}) differs from Step by {first.Relative:E2} relative " +
                $"(worst at step {first.Frame}; max |Step| {first.Scale:G4}), beyond {tolerance:E0}; " +
                $"differing too: [{string.Join(", ", beyond.Skip(1).Select(d => d.Name))}].");
        }

        return all.Max(d => d.Relative);
    }

    private sealed record Difference(string Name, double Relative, int Frame, double Scale);

    /// <summary>
    /// For each value of <paramref name="parts"/> (laid out one after the other in frames of <paramref name="frame"/>
    /// elements), max |actual − expected| / max |expected| over every frame (0 when both are zero throughout), and the frame of the worst.
    /// </summary>
    private static IEnumerable<Difference> Differences<T>((string Name, int Size)[] parts, int frame, T[] actual, T[] expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int offset = 0;
        foreach (var (name, size) in parts)
        {
            double difference = 0, scale = 0;
            int worstFrame = 0;
            for (int t = 0; t < expected.Length / frame; t++)
            {
                for (int k = offset; k < offset + size; k++)
                {
                    double a = double.CreateChecked(actual[t * frame + k]), e = double.CreateChecked(expected[t * frame + k]);
                    double d = double.IsNaN(a) ? double.PositiveInfinity : Math.Abs(a - e);
                    if (d > difference)
                    {
                        (difference, worstFrame) = (d, t);
                    }

                    scale = Math.Max(scale, Math.Abs(e));
                }
            }

            // A quantity that is zero throughout (a dead ReLU state) matches only if it is zero on both sides.
            yield return new Difference(name, scale == 0 ? (difference == 0 ? 0 : double.PositiveInfinity) : difference / scale, worstFrame, scale);
            offset += size;
        }
    }

    private static T[] Inputs<T>(int count, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => T.CreateChecked(2 * random.NextDouble() - 1)).ToArray();
    }

    /// <summary>Splits a frame into its parts: [h; c] → h, c.</summary>
    private static T[][] Split<T>(T[] frame, IEnumerable<int> sizes)
    {
        int offset = 0;
        return sizes.Select(size => frame.AsSpan((offset += size) - size, size).ToArray()).ToArray();
    }

    private static T[] Concat<T>(IEnumerable<T[]> parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Frames (step after step, parts concatenated) → one [steps, size] array per part.</summary>
    private static T[][] Columns<T>(T[] frames, int steps, IEnumerable<int> sizes)
    {
        int[] size = sizes.ToArray();
        int frame = size.Sum();
        return size.Select((s, k) => Enumerable.Range(0, steps)
            .SelectMany(t => frames.AsSpan(t * frame + size.Take(k).Sum(), s).ToArray()).ToArray()).ToArray();
    }

    /// <summary>One [steps, size] array per part → frames, step after step.</summary>
    private static T[] Rows<T>(T[][] columns, int steps, int[] sizes) =>
        Enumerable.Range(0, steps).SelectMany(t => columns.SelectMany((c, k) => c.AsSpan(t * sizes[k], sizes[k]).ToArray())).ToArray();
}
