using System;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Runtime;

/// <summary>
/// A cell's plain Step does not check its input: a NaN makes the state NaN until ResetState (as documented on
/// <see cref="IUnrolledCell{T}.Step"/>). <see cref="UnrolledCellExtensions.StepChecked{T}"/> throws instead, naming
/// the element, with the state untouched, and allocates nothing; <see cref="NonFiniteGuard"/> finds the first
/// NaN or infinity wherever it lies in a span (vectorised body or scalar tail).
/// </summary>
public sealed class StepCheckedTests
{
    private readonly ITestOutputHelper _output;

    public StepCheckedTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void A_nan_input_to_plain_step_poisons_the_state_until_reset_state()
    {
        var cell = CreateCell();
        var input = Input();
        var output = new float[AllocationLstm.Out];
        input[3] = float.NaN;
        cell.Step(input, output);
        input[3] = 0.5f;
        for (int t = 0; t < 10; t++)
        {
            cell.Step(input, output);
        }

        Assert.All(cell.State.ToArray(), value => Assert.True(float.IsNaN(value)));
        cell.ResetState();
        cell.Step(input, output);
        Assert.All(cell.State.ToArray(), value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void Step_checked_throws_naming_the_element_and_leaves_the_state_alone()
    {
        var cell = CreateCell();
        var input = Input();
        var output = new float[AllocationLstm.Out];
        cell.StepChecked(input, output);
        var state = cell.State.ToArray();

        input[5] = float.NegativeInfinity;
        var error = Assert.Throws<ArgumentException>(() => cell.StepChecked(input, output));
        _output.WriteLine(error.Message);
        Assert.Equal("input", error.ParamName);
        Assert.Contains($"input[5] is {float.NegativeInfinity}", error.Message);
        Assert.True(CheckpointAssert.BitIdentical<float>(state, cell.State), "The state changed.");

        var length = Assert.Throws<ArgumentException>(() => cell.StepChecked(new float[3], output));
        Assert.Contains("InputSize", length.Message);

        // A finite input: exactly Step.
        input[5] = 0.25f;
        var twin = CreateCell();
        state.CopyTo(twin.State);
        var twinOutput = new float[AllocationLstm.Out];
        cell.StepChecked(input, output);
        twin.Step(input, twinOutput);
        Assert.True(CheckpointAssert.BitIdentical<float>(twin.State, cell.State));
        Assert.True(CheckpointAssert.BitIdentical<float>(twinOutput, output));
    }

    [Fact]
    public void Step_checked_allocates_nothing()
    {
        var cell = CreateCell();
        var input = Input();
        var output = new float[AllocationLstm.Out];
        for (int i = 0; i < 50; i++)
        {
            cell.StepChecked(input, output);
        }

        long bytes = SteadyStateAllocation.Measure(() => cell.StepChecked(input, output), calls: 100);
        _output.WriteLine($"100 x StepChecked allocated {bytes} bytes");
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void The_guard_finds_the_first_non_finite_value_anywhere()
    {
        Assert.Equal(-1, NonFiniteGuard.IndexOfNonFinite(ReadOnlySpan<double>.Empty));
        var values = new double[37];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i - 18.5;
        }

        Assert.Equal(-1, NonFiniteGuard.IndexOfNonFinite<double>(values));
        NonFiniteGuard.RequireFinite<double>(values, "values");
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (int at = 0; at < values.Length; at++)
            {
                var copy = (double[])values.Clone();
                copy[^1] = double.NaN; // a later one is not reported
                copy[at] = bad;
                Assert.Equal(at, NonFiniteGuard.IndexOfNonFinite<double>(copy));
                var error = Assert.Throws<ArgumentException>(() => NonFiniteGuard.RequireFinite<double>(copy, "values"));
                Assert.Equal("values", error.ParamName);
                Assert.Contains($"values[{at}] is {bad}", error.Message);
            }
        }

        Assert.Equal(2, NonFiniteGuard.IndexOfNonFinite<float>(new[] { 1f, float.MaxValue, float.NaN }));
    }

    private static AllocationLstm CreateCell()
    {
        var cell = new AllocationLstm();
        cell.InitializeParameters(seed: 2);
        return cell;
    }

    private static float[] Input()
    {
        var input = new float[AllocationLstm.In];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = 0.1f * (i - 8);
        }

        return input;
    }
}
