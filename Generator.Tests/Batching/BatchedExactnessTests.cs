using System;
using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Batching;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Batching;

/// <summary>
/// The batched path against the single-stream one, for every cell of docs/equations.md in double precision: B
/// streams run in lockstep give every stream the outputs and states it has run alone, and a gradient equal to the
/// sum over the streams of the single-stream gradients. The batch sizes take every path of the product kernels:
/// one stream, by the single-stream kernels (1), narrower vectors with an overlapping last one (6), and four-vector
/// blocks with one (37); the scalar loops of 2 and 3 streams are checked by BatchedProductsTests.
/// </summary>
public class BatchedExactnessTests
{
    /// <summary>Relative to the largest magnitude compared: the two paths sum in different orders, nothing more.</summary>
    private const double Tolerance = 1e-12;

    private readonly ITestOutputHelper _output;

    public BatchedExactnessTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string, int> Cases => WithBatchSizes(DocsExamplesTests.DocsPage.Examples.Keys);

    /// <summary>Every cell at the batch sizes the exactness tests use: one stream, a few, and more than a vector's width.</summary>
    internal static TheoryData<string, int> WithBatchSizes(IEnumerable<string> cells)
    {
        var data = new TheoryData<string, int>();
        foreach (string cell in cells)
        {
            foreach (int batch in new[] { 1, 6, 37 })
            {
                data.Add(cell, batch);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Window_matches_every_stream_run_alone(string cell, int batch)
    {
        var (single, batched) = Cells(cell);
        var random = new Random(batch * 7919 + cell.Length);
        Fill(single.Parameters, random, 0.5);
        single.Parameters.CopyTo(batched.Parameters);
        int k2 = single.TruncationLength, inputSize = single.InputSize, outputSize = single.OutputSize, stateSize = single.StateSize;
        var workspace = new BatchWorkspace<double>(batched, batch);

        // Each stream alone: Forward and Backward from its own state, inputs and gradients; the gradients add up.
        var outputs = new double[batch][];
        var finalStates = new double[batch][];
        var initialStateGradients = new double[batch][];
        var squaredNorms = new double[k2];
        single.ZeroGradients();
        for (int s = 0; s < batch; s++)
        {
            var state = RandomArray(random, stateSize);
            var inputs = RandomArray(random, k2 * inputSize);
            var outputGradients = RandomArray(random, k2 * outputSize);
            var finalStateGradient = RandomArray(random, stateSize);
            state.CopyTo(single.State);
            outputs[s] = new double[k2 * outputSize];
            single.Forward(inputs, outputs[s]);
            finalStates[s] = single.State.ToArray();
            initialStateGradients[s] = new double[stateSize];
            var norms = new double[k2];
            single.Backward(outputGradients, finalStateGradient, initialStateGradients[s], norms);
            for (int k = 0; k < k2; k++)
            {
                squaredNorms[k] += norms[k] * norms[k];
            }

            workspace.SetState(s, batch, state);
            workspace.SetFinalStateGradient(s, batch, finalStateGradient);
            for (int t = 0; t < k2; t++)
            {
                workspace.SetInput(t, s, batch, inputs.AsSpan(t * inputSize, inputSize));
                workspace.SetOutputGradient(t, s, batch, outputGradients.AsSpan(t * outputSize, outputSize));
            }
        }

        // All streams at once.
        workspace.Gradients.Clear();
        batched.ForwardBatch(workspace, batch);
        batched.BackwardBatch(workspace, batch);

        double worst = 0;
        var buffer = new double[Math.Max(outputSize, stateSize)];
        for (int s = 0; s < batch; s++)
        {
            for (int t = 0; t < k2; t++)
            {
                workspace.GetOutput(t, s, batch, buffer.AsSpan(0, outputSize));
                worst = Math.Max(worst, Check($"{cell} stream {s} output at t = {t}", buffer.AsSpan(0, outputSize), outputs[s].AsSpan(t * outputSize, outputSize)));
            }

            workspace.GetFinalState(s, batch, buffer.AsSpan(0, stateSize));
            worst = Math.Max(worst, Check($"{cell} stream {s} final state", buffer.AsSpan(0, stateSize), finalStates[s]));
            workspace.GetInitialStateGradient(s, batch, buffer.AsSpan(0, stateSize));
            worst = Math.Max(worst, Check($"{cell} stream {s} dL/ds_-1", buffer.AsSpan(0, stateSize), initialStateGradients[s]));
        }

        foreach (var tensor in single.ParameterTensors)
        {
            int length = tensor.Rows * tensor.Columns;
            worst = Math.Max(worst, Check($"{cell} gradient of {tensor.Name}", workspace.Gradients.Slice(tensor.Offset, length), single.Gradients.Slice(tensor.Offset, length)));
        }

        worst = Math.Max(worst, Check($"{cell} state adjoint norms", workspace.StateAdjointSquaredNorms, squaredNorms));
        _output.WriteLine($"{cell}, B = {batch}: largest relative difference {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streaming_steps_match_every_stream_stepped_alone(string cell, int batch)
    {
        var (single, batched) = Cells(cell);
        var random = new Random(batch * 104729 + cell.Length);
        Fill(single.Parameters, random, 0.5);
        single.Parameters.CopyTo(batched.Parameters);
        var workspace = new BatchWorkspace<double>(batched, batch);
        var states = Enumerable.Range(0, batch).Select(_ => RandomArray(random, single.StateSize)).ToArray();
        for (int s = 0; s < batch; s++)
        {
            workspace.SetState(s, batch, states[s]);
        }

        var output = new double[single.OutputSize];
        var batchedOutput = new double[single.OutputSize];
        var batchedState = new double[single.StateSize];
        for (int step = 0; step < 5; step++)
        {
            var inputs = Enumerable.Range(0, batch).Select(_ => RandomArray(random, single.InputSize)).ToArray();
            for (int s = 0; s < batch; s++)
            {
                workspace.SetInput(0, s, batch, inputs[s]);
            }

            batched.StepBatch(workspace, batch);
            for (int s = 0; s < batch; s++)
            {
                states[s].CopyTo(single.State);
                single.Step(inputs[s], output);
                states[s] = single.State.ToArray();
                workspace.GetOutput(0, s, batch, batchedOutput);
                workspace.GetState(s, batch, batchedState);
                Check($"{cell} stream {s} output at step {step}", batchedOutput, output);
                Check($"{cell} stream {s} state after step {step}", batchedState, states[s]);
            }
        }
    }

    /// <summary>Two instances of a docs example in double precision, or of a double-precision cell of the test assembly's Cells.</summary>
    private static (IUnrolledCell<double> Single, IBatchedCell<double> Batched) Cells(string cell)
    {
        var type = typeof(UnrolledRnn.Tests.Cells.OpAdd).Assembly.GetType(typeof(UnrolledRnn.Tests.Cells.OpAdd).Namespace + "." + cell);
        if (type is null)
        {
            var (source, _) = DocsExamplesTests.InDoublePrecision(DocsExamplesTests.DocsPage.Examples[cell]);
            type = GeneratorHarness.CompileAndLoad(source).GetType("Examples." + cell)!;
        }

        return ((IUnrolledCell<double>)Activator.CreateInstance(type)!, (IBatchedCell<double>)Activator.CreateInstance(type)!);
    }

    /// <summary>max |actual - expected| / max |expected|, asserted below the tolerance; returns it.</summary>
    private static double Check(string what, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0, difference = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            difference = Math.Max(difference, Math.Abs(actual[i] - expected[i]));
        }

        double relative = scale == 0 ? difference : difference / scale;
        Assert.True(relative <= Tolerance && !double.IsNaN(relative), $"{what}: relative difference {relative:E2} (largest magnitude {scale:E2})");
        return relative;
    }

    private static double[] RandomArray(Random random, int length)
    {
        var values = new double[length];
        Fill(values, random, 1.0);
        return values;
    }

    private static void Fill(Span<double> values, Random random, double scale)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextDouble() * 2 - 1) * scale;
        }
    }
}
