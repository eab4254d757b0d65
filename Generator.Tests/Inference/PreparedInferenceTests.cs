using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using UnrolledRnn.Inference;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Reference;
using UnrolledRnn.Tests.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Inference;

/// <summary>
/// The prepared inference stream (<c>PrepareInference().CreateStream()</c>) against the cell's own Step and the naive
/// references, at the hidden sizes that take every path of the stacked kernel and of the fused loops (1, 7, 16, 17, 31,
/// 32, 33, 64; odd inputs in InferenceCells), float and double, accurate and FastActivations; and its contract: a
/// snapshot, no allocation, spans of the wrong length rejected.
/// </summary>
public sealed class PreparedInferenceTests
{
    private const int Steps = 64;

    private readonly ITestOutputHelper _output;

    public PreparedInferenceTests(ITestOutputHelper output) => _output = output;

    /// <summary>The largest difference an AssertClose of the test saw, relative to max(1, |expected|): printed, to keep the bounds honest.</summary>
    private double _largest;

    /// <summary>
    /// The stream and Step compute the same sums in another order (a stacked product summed along the operand, in
    /// accumulators of split chains, against row dot products), so they differ by rounding: propagated through 64 steps,
    /// the largest difference measured was 4.2e-7 in float and 8.9e-16 in double (relative to max(1, |value|), every cell
    /// here, the naive references included); the bounds are about 10x those, far below what an error in the code moves
    /// (a weight or bias read from the wrong place changes outputs by 1e-3 or more).
    /// </summary>
    private const double SingleBound = 4e-6, DoubleBound = 1e-14;

    public static TheoryData<IUnrolledCell<float>> SingleCells => new()
    {
        { new FusedElmanH1F32() }, { new FusedElmanH7F32() }, { new FusedElmanH17F32() }, { new FusedElmanH32F32() }, { new FusedElmanH64F32() },
        { new FusedLstmH1F32() }, { new FusedLstmH7F32() }, { new FusedLstmH16F32() }, { new FusedLstmH17F32() }, { new FusedLstmH31F32() },
        { new FusedLstmH32F32() }, { new FusedLstmH33F32() }, { new FusedLstmH64F32() },
        { new InferenceLstmI3H17Fast() }, { new InferenceGruI5H32Fast() },
    };

    public static TheoryData<IUnrolledCell<double>> DoubleCells => new()
    {
        { new FusedElmanH16F64() }, { new FusedElmanH33F64() },
        { new FusedLstmH1F64() }, { new FusedLstmH7F64() }, { new FusedLstmH16F64() }, { new FusedLstmH31F64() }, { new FusedLstmH64F64() },
        { new FusedGruH1F64() }, { new FusedGruH7F64() }, { new FusedGruH17F64() }, { new FusedGruH32F64() }, { new FusedGruH33F64() },
        { new FusedGruH64F64() },
        { new InferenceLstmI3H33FastF64() }, { new InferenceSharedWeightF64() },
    };

    [Theory]
    [MemberData(nameof(SingleCells))]
    public void Single_precision_stream_matches_the_cells_step(IUnrolledCell<float> cell)
    {
        AssertStreamMatchesStep(cell, SingleBound);
        _output.WriteLine($"{cell.GetType().Name}: largest difference {_largest:E2}");
    }

    [Theory]
    [MemberData(nameof(DoubleCells))]
    public void Double_precision_stream_matches_the_cells_step(IUnrolledCell<double> cell)
    {
        AssertStreamMatchesStep(cell, DoubleBound);
        _output.WriteLine($"{cell.GetType().Name}: largest difference {_largest:E2}");
    }

    public static TheoryData<IUnrolledCell<double>> ReferenceCells => new()
    {
        { new FusedElmanH7F64() }, { new FusedElmanH32F64() }, { new FusedLstmH17F64() }, { new FusedLstmH33F64() },
    };

    /// <summary>The naive double references (Reference/), whose sums have a third order: within the same bound.</summary>
    [Theory]
    [MemberData(nameof(ReferenceCells))]
    public void Stream_matches_the_naive_reference(IUnrolledCell<double> cell)
    {
        cell.InitializeParameters(7);
        RandomizeVectorParameters(cell, seed: 8);
        bool lstm = cell.GetType().Name.Contains("Lstm", StringComparison.Ordinal);
        INaiveNetwork naive = lstm
            ? new NaiveLstm(cell.InputSize, cell.StateSize / 2, cell.OutputSize)
            : new NaiveElman(cell.InputSize, cell.StateSize, cell.OutputSize);
        CopyParameters(cell, naive);
        var inputs = Inputs(cell.InputSize, Steps, seed: 9);
        var initialState = Enumerable.Range(0, cell.StateSize).Select(i => 0.1 * Math.Sin(i + 1.0)).ToArray();
        double[][] expected = naive.Forward(inputs.Select(x => x.ToArray()).ToArray(), initialState);

        var stream = ((IInferenceCell<double>)cell).PrepareInference().CreateStream();
        initialState.CopyTo(stream.State);
        var output = new double[cell.OutputSize];
        for (int t = 0; t < Steps; t++)
        {
            stream.Step(inputs[t], output);
            AssertClose(expected[t], output, DoubleBound, $"y at t = {t}");
        }

        AssertClose(naive.FinalState, stream.State.ToArray(), DoubleBound, "final state");
        _output.WriteLine($"{cell.GetType().Name}: largest difference {_largest:E2}");
    }

    [Fact]
    public void The_snapshot_keeps_the_parameters_it_was_prepared_with_until_refreshed()
    {
        var cell = new InferenceLstmI3H17Fast();
        cell.InitializeParameters(3);
        var weights = cell.PrepareInference();
        var stream = weights.CreateStream();
        var input = new float[] { 0.5f, -0.25f, 1 };
        float[] before = new float[InferenceLstmI3H17Fast.OutputSize], after = new float[InferenceLstmI3H17Fast.OutputSize];
        stream.Step(input, before);

        // Every kind of parameter changes: a stacked weight, a summed bias, the head.
        cell.Parameter_W_hh[5] += 0.5f;
        cell.Parameter_b_ih[2] -= 0.5f;
        cell.Parameter_W_out[1] += 0.5f;
        stream.Reset();
        stream.Step(input, after);
        Assert.Equal(before, after);

        var prepared = cell.PrepareInference().CreateStream();
        var expected = new float[InferenceLstmI3H17Fast.OutputSize];
        cell.ResetState();
        cell.Step(input, expected);
        prepared.Step(input, after);
        Assert.NotEqual(before, after);
        AssertClose(expected.Select(v => (double)v).ToArray(), after, SingleBound, "a new snapshot");

        weights.Refresh();
        stream.Reset();
        stream.Step(input, after);
        AssertClose(expected.Select(v => (double)v).ToArray(), after, SingleBound, "the refreshed snapshot");
    }

    [Fact]
    public void Streams_of_one_snapshot_carry_their_own_state()
    {
        var cell = new FusedLstmH17F32();
        cell.InitializeParameters(4);
        var weights = cell.PrepareInference();
        IInferenceStream<float> first = weights.CreateStream(), second = weights.CreateStream();
        var output = new float[FusedLstmH17F32.OutputSize];
        first.Step(new float[] { 1, -1 }, output);
        Assert.Contains(first.State.ToArray(), v => v != 0);
        Assert.All(second.State.ToArray(), v => Assert.Equal(0, v));
        first.Reset();
        Assert.All(first.State.ToArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void A_stream_step_allocates_nothing()
    {
        var cell = new InferenceGruI5H32Fast();
        cell.InitializeParameters(5);
        var stream = cell.PrepareInference().CreateStream();
        float[] input = [0.1f, 0.2f, -0.3f, 0.4f, -0.5f], output = new float[InferenceGruI5H32Fast.OutputSize];
        Assert.Equal(0, SteadyStateAllocation.Measure(() => stream.Step(input, output)));
    }

    [Fact]
    public void Spans_of_the_wrong_length_are_rejected_naming_the_size_expected()
    {
        var cell = new InferenceLstmI3H17Fast();
        var stream = cell.PrepareInference().CreateStream();
        var exception = Assert.Throws<ArgumentException>(() => stream.Step(new float[2], new float[3]));
        Assert.Equal("input", exception.ParamName);
        Assert.Contains("InputSize", exception.Message);
        Assert.Contains("3", exception.Message);
        exception = Assert.Throws<ArgumentException>(() => stream.Step(new float[3], new float[4]));
        Assert.Equal("output", exception.ParamName);
        Assert.Contains("OutputSize", exception.Message);
    }

    /// <summary>Runs the cell's Step and a stream side by side from the same nonzero state; outputs and states agree at every step.</summary>
    private void AssertStreamMatchesStep<T>(IUnrolledCell<T> cell, double bound)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        cell.InitializeParameters(11);
        RandomizeVectorParameters(cell, seed: 12);
        for (int i = 0; i < cell.StateSize; i++)
        {
            cell.State[i] = T.CreateTruncating(0.2 * Math.Cos(i + 0.5));
        }

        var stream = ((IInferenceCell<T>)cell).PrepareInference().CreateStream();
        Assert.Equal(cell.InputSize, stream.InputSize);
        Assert.Equal(cell.OutputSize, stream.OutputSize);
        cell.State.CopyTo(stream.State);
        var inputs = Inputs(cell.InputSize, Steps, seed: 13);
        T[] expected = new T[cell.OutputSize], actual = new T[cell.OutputSize], input = new T[cell.InputSize];
        for (int t = 0; t < Steps; t++)
        {
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = T.CreateTruncating(inputs[t][i]);
            }

            cell.Step(input, expected);
            stream.Step(input, actual);
            AssertClose(ToDouble(expected), actual, bound, $"y at t = {t}");
            AssertClose(ToDouble(cell.State.ToArray()), stream.State.ToArray(), bound, $"state at t = {t}");
        }
    }

    /// <summary>Nonzero biases, so that a bias dropped or added twice shows (InitializeParameters sets them to zero).</summary>
    private static void RandomizeVectorParameters<T>(IUnrolledCell<T> cell, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(seed);
        foreach (var tensor in cell.ParameterTensors.Where(t => t.Role == ParameterRole.Vector))
        {
            var values = cell.Parameters.Slice(tensor.Offset, tensor.Length);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateTruncating(random.NextDouble() - 0.5);
            }
        }
    }

    private static void CopyParameters(IUnrolledCell<double> cell, INaiveNetwork naive)
    {
        double[] Tensor(string name)
        {
            var tensor = cell.ParameterTensors.Single(t => t.Name == name);
            return cell.Parameters.Slice(tensor.Offset, tensor.Length).ToArray();
        }

        void Matrix(double[,] target, string name)
        {
            double[] values = Tensor(name);
            for (int r = 0; r < target.GetLength(0); r++)
            {
                for (int c = 0; c < target.GetLength(1); c++)
                {
                    target[r, c] = values[r * target.GetLength(1) + c];
                }
            }
        }

        Matrix(naive.W_ih, "W_ih");
        Matrix(naive.W_hh, "W_hh");
        Matrix(naive.W_out, "W_out");
        Tensor("b_ih").CopyTo(naive.b_ih, 0);
        Tensor("b_hh").CopyTo(naive.b_hh, 0);
        Tensor("b_out").CopyTo(naive.b_out, 0);
    }

    private static List<double[]> Inputs(int size, int steps, ulong seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new List<double[]>();
        for (int t = 0; t < steps; t++)
        {
            inputs.Add(Enumerable.Range(0, size).Select(_ => 2 * random.NextDouble() - 1).ToArray());
        }

        return inputs;
    }

    private static double[] ToDouble<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => values.Select(v => double.CreateChecked(v)).ToArray();

    /// <summary>|actual - expected| &lt;= bound x max(1, |expected|), element by element.</summary>
    private void AssertClose<T>(double[] expected, T[] actual, double bound, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(double.CreateChecked(actual[i]) - expected[i]);
            _largest = Math.Max(_largest, error / Math.Max(1, Math.Abs(expected[i])));
            Assert.True(error <= bound * Math.Max(1, Math.Abs(expected[i])), $"{what}, element {i}: expected {expected[i]:R}, got {actual[i]}, difference {error:E2}");
        }
    }
}
