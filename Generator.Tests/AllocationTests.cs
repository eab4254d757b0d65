using System;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// Forward, Backward and Step allocate nothing: every buffer is allocated when the cell is constructed.
/// Measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> around many calls, on float cells of a
/// realistic size (In = 16, H = 32, Out = 4, k2 = 32).
/// </summary>
public sealed class AllocationTests
{
    /// <summary>Calls before measuring: past the tiered JIT's call-count threshold (30), so first-call work is done.</summary>
    private const int WarmUpCalls = 50;

    private const int MeasuredCalls = 100;

    private readonly ITestOutputHelper _output;

    public AllocationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Elman_forward_backward_and_step_allocate_nothing() => AssertNoAllocation(new AllocationElman());

    [Fact]
    public void Lstm_forward_backward_and_step_allocate_nothing() => AssertNoAllocation(new AllocationLstm());

    [Fact]
    public void Gru_forward_backward_and_step_allocate_nothing() => AssertNoAllocation(new AllocationGru());

    [Fact]
    public void Argument_derivative_cells_forward_backward_and_step_allocate_nothing() => AssertNoAllocation(new AllocationArgumentDerivatives());

    [Fact]
    public void Quotient_cell_forward_backward_and_step_allocate_nothing() => AssertNoAllocation(new DivideH17F32());

    [Fact]
    public void Extremum_cell_forward_backward_and_step_allocate_nothing() => AssertNoAllocation(new ExtremumH17F32());

    [Fact]
    public void Broadcasting_cell_forward_backward_and_step_allocate_nothing() => AssertNoAllocation(new BroadcastH17F32());

    internal void AssertNoAllocation(IUnrolledCell<float> cell)
    {
        cell.InitializeParameters(seed: 7);
        var random = new Random(7);
        var inputs = RandomArray(random, cell.TruncationLength * cell.InputSize);
        var outputs = new float[cell.TruncationLength * cell.OutputSize];
        var outputGradients = RandomArray(random, cell.TruncationLength * cell.OutputSize);
        var finalStateGradient = RandomArray(random, cell.StateSize);
        var initialStateGradient = new float[cell.StateSize];
        var norms = new float[cell.TruncationLength];
        var input = RandomArray(random, cell.InputSize);
        var output = new float[cell.OutputSize];

        for (int i = 0; i < WarmUpCalls; i++)
        {
            ForwardBackward();
            cell.Step(input, output);
        }

        // Measured up to ten times, stopping at the first zero (SteadyStateAllocation): a one-off allocation of the
        // runtime while tiered compilation swaps code in can land in one measurement, while an allocation in the
        // generated code or the kernels happens on every call and so shows in every one.
        long windowBytes = SteadyStateAllocation.Measure(ForwardBackward, MeasuredCalls);
        long stepBytes = SteadyStateAllocation.Measure(() => cell.Step(input, output), MeasuredCalls);

        _output.WriteLine($"{cell.GetType().Name}: {MeasuredCalls} x (Forward + Backward) allocated {windowBytes} bytes; {MeasuredCalls} x Step allocated {stepBytes} bytes");
        Assert.True(float.IsFinite(norms[0]) && float.IsFinite(output[0]), "The cell produced non-finite values.");
        Assert.Equal(0, windowBytes);
        Assert.Equal(0, stepBytes);

        // One training window; the state carries over from window to window and the gradients accumulate.
        void ForwardBackward()
        {
            cell.Forward(inputs, outputs);
            cell.Backward(outputGradients, finalStateGradient, initialStateGradient, norms);
        }
    }

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(2 * random.NextDouble() - 1);
        }

        return values;
    }
}
