using System;
using System.Diagnostics;
using System.Globalization;
using UnrolledRnn.Training;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// Where an update's time goes: the median time of Forward, the MSE gradients, Backward, and the SGD step with
/// zeroing, each timed on its own, and the bytes allocated over all the timed updates, with a Stopwatch over many repetitions (the "breakdown" mode). A quick profile
/// for choosing what to speed up, not a replacement for the BenchmarkDotNet figures.
/// </summary>
internal static class Breakdown
{
    public static void Run()
    {
        Console.WriteLine("| config | forward (us) | loss (us) | backward (us) | sgd + zero (us) | allocated over all timed updates (B) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var cell in new IUnrolledCell<float>[]
        {
            new Cells.ElmanH32K32(), new Cells.LstmH32K32(), new Cells.GruH32K32(),
            new Cells.ElmanH128K32(), new Cells.LstmH128K32(), new Cells.GruH128K32(),
            new Cells.ElmanH256K32(), new Cells.LstmH256K32(), new Cells.GruH256K32(), new Cells.LstmH128K64(),
            new Cells.ElmanH32K32Fast(), new Cells.LstmH32K32Fast(), new Cells.GruH32K32Fast(),
            new Cells.ElmanH128K32Fast(), new Cells.LstmH128K32Fast(), new Cells.GruH128K32Fast(),
        })
        {
            Measure(cell);
        }
    }

    private static void Measure(IUnrolledCell<float> cell)
    {
        cell.InitializeParameters(1);
        int k2 = cell.TruncationLength, outputSize = cell.OutputSize;
        var inputs = new float[k2 * cell.InputSize];
        var targets = new float[k2 * outputSize];
        var outputs = new float[k2 * outputSize];
        var outputGradients = new float[k2 * outputSize];
        var initialStateGradient = new float[cell.StateSize];
        var norms = new float[k2];
        var random = new Random(1);
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)(random.NextDouble() * 2 - 1);
        }

        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = (float)(random.NextDouble() * 2 - 1);
        }

        var loss = new MeanSquaredError<float>();
        var sgd = new Sgd<float>(0); // learning rate 0: the same work, and the window stays the same for every repetition
        sgd.Prepare(cell.ParameterCount);
        const int Repetitions = 41, Rounds = 30;
        var forward = new double[Repetitions];
        var lossTimes = new double[Repetitions];
        var backward = new double[Repetitions];
        var update = new double[Repetitions];
        for (int warmup = 0; warmup < 2000; warmup++)
        {
            cell.Forward(inputs, outputs);
            cell.Backward(outputGradients, default, initialStateGradient, norms);
            sgd.Step(cell.Parameters, cell.Gradients);
            cell.ZeroGradients();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < Repetitions; r++)
        {
            long tForward = 0, tLoss = 0, tBackward = 0, tUpdate = 0;
            for (int round = 0; round < Rounds; round++)
            {
                long t0 = Stopwatch.GetTimestamp();
                cell.Forward(inputs, outputs);
                long t1 = Stopwatch.GetTimestamp();
                for (int t = 0; t < k2; t++)
                {
                    loss.Evaluate(outputs.AsSpan(t * outputSize, outputSize), targets.AsSpan(t * outputSize, outputSize),
                        outputGradients.AsSpan(t * outputSize, outputSize));
                }

                long t2 = Stopwatch.GetTimestamp();
                cell.Backward(outputGradients, default, initialStateGradient, norms);
                long t3 = Stopwatch.GetTimestamp();
                sgd.Step(cell.Parameters, cell.Gradients);
                cell.ZeroGradients();
                long t4 = Stopwatch.GetTimestamp();
                tForward += t1 - t0; tLoss += t2 - t1; tBackward += t3 - t2; tUpdate += t4 - t3;
            }

            double scale = 1e6 / Stopwatch.Frequency / Rounds;
            forward[r] = tForward * scale; lossTimes[r] = tLoss * scale; backward[r] = tBackward * scale; update[r] = tUpdate * scale;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        string name = cell.GetType().Name;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Median(forward):F2} | {Median(lossTimes):F2} | {Median(backward):F2} | {Median(update):F2} | {allocated} |"));
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
