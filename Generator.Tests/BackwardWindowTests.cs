using System;
using UnrolledRnn.Tests.Cells;
using Xunit;

namespace UnrolledRnn.Tests;

/// <summary>
/// Backward differentiates the window the last Forward recorded, or throws: before any Forward (or after Step
/// alone) there is no window, and after InitializeParameters the recorded one belongs to other parameters.
/// Step and ResetState touch only the carried state, so the recorded window stays valid through them.
/// </summary>
public class BackwardWindowTests
{
    [Fact]
    public void Backward_before_any_Forward_throws_naming_the_cell()
    {
        var window = new Window(new ReferenceElman());

        var exception = Assert.Throws<InvalidOperationException>(window.Backward);

        Assert.Contains("'ReferenceElman'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("call Forward first", exception.Message, StringComparison.Ordinal);
        Assert.All(window.Cell.Gradients.ToArray(), g => Assert.Equal(0, g));
    }

    [Fact]
    public void Backward_after_Step_alone_throws()
    {
        var window = new Window(new ReferenceElman());
        window.Cell.Step(window.Inputs.AsSpan(0, ReferenceElman.InputSize), new double[ReferenceElman.OutputSize]);

        Assert.Throws<InvalidOperationException>(window.Backward);
    }

    [Fact]
    public void Backward_after_InitializeParameters_throws_until_the_next_Forward()
    {
        var window = new Window(new ReferenceElman());
        window.Forward();
        window.Cell.InitializeParameters(2);

        Assert.Throws<InvalidOperationException>(window.Backward);

        window.Forward();
        window.Backward();
        Assert.Contains(window.Cell.Gradients.ToArray(), g => g != 0);
    }

    [Fact]
    public void Step_and_ResetState_between_Forward_and_Backward_leave_the_recorded_window()
    {
        var expected = new Window(new ReferenceElman());
        expected.Forward();
        expected.Backward();

        var window = new Window(new ReferenceElman());
        window.Forward();
        window.Cell.Step(window.Inputs.AsSpan(0, ReferenceElman.InputSize), new double[ReferenceElman.OutputSize]);
        window.Cell.ResetState();
        window.Backward();

        Assert.Equal(expected.Cell.Gradients.ToArray(), window.Cell.Gradients.ToArray());
        Assert.Equal(expected.InitialStateGradient, window.InitialStateGradient);
    }

    [Fact]
    public void A_second_Backward_of_the_same_window_adds_the_same_gradients_again()
    {
        var window = new Window(new ReferenceElman());
        window.Forward();
        window.Backward();
        var once = window.Cell.Gradients.ToArray();
        var initialStateGradient = (double[])window.InitialStateGradient.Clone();

        window.Backward();

        var twice = window.Cell.Gradients.ToArray();
        Assert.Contains(once, g => g != 0);
        Assert.All(once, (g, i) => Assert.Equal(2 * g, twice[i], 12));
        Assert.Equal(initialStateGradient, window.InitialStateGradient);
    }

    /// <summary>A cell with seeded parameters, a nonzero carried state and one window of inputs and output gradients.</summary>
    private sealed class Window
    {
        private readonly double[] _outputs, _outputGradients, _norms;

        public Window(IUnrolledCell<double> cell)
        {
            Cell = cell;
            cell.InitializeParameters(1);
            var random = new Random(1);
            for (int i = 0; i < cell.State.Length; i++)
            {
                cell.State[i] = random.NextDouble() - 0.5;
            }

            Inputs = RandomArray(random, cell.TruncationLength * cell.InputSize);
            _outputGradients = RandomArray(random, cell.TruncationLength * cell.OutputSize);
            _outputs = new double[cell.TruncationLength * cell.OutputSize];
            _norms = new double[cell.TruncationLength];
            InitialStateGradient = new double[cell.StateSize];
        }

        public IUnrolledCell<double> Cell { get; }

        public double[] Inputs { get; }

        public double[] InitialStateGradient { get; }

        public void Forward() => Cell.Forward(Inputs, _outputs);

        public void Backward() => Cell.Backward(_outputGradients, default, InitialStateGradient, _norms);

        private static double[] RandomArray(Random random, int length)
        {
            var array = new double[length];
            for (int i = 0; i < length; i++)
            {
                array[i] = random.NextDouble() * 2 - 1;
            }

            return array;
        }
    }
}
