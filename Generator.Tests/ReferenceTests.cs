using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// The generated cells against the naive reference implementations in Reference/: with random parameters,
/// initial state, inputs, output gradients and final-state gradient (fixed seeds), Forward's outputs and final
/// state, and Backward's parameter gradients, initial-state gradient and state-adjoint norms must agree.
/// </summary>
/// <remarks>
/// Agreement is measured per quantity as max_i |a_i - b_i| / max(max_i |a_i|, max_i |b_i|, 1e-12): the worst
/// error relative to the quantity's scale. The generated and naive code sum in different orders, so in double
/// precision they agree to round-off (about 1e-15); <see cref="DoubleTolerance"/> leaves a wide margin while
/// still catching any wrong term. A single-precision cell has round-off of about 1e-7 per operation;
/// <see cref="SingleTolerance"/> allows for its accumulation over k2 steps.
/// </remarks>
public sealed partial class ReferenceTests
{
    /// <summary>Double-precision generated cell against the double reference.</summary>
    private const double DoubleTolerance = 1e-10;

    /// <summary>Single-precision generated cell against the double reference (fed the same float-rounded values).</summary>
    private const double SingleTolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public ReferenceTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Elman_matches_the_naive_reference() =>
        AssertMatchesNaive(new ReferenceElman(), new NaiveElman(ReferenceElman.In, ReferenceElman.H, ReferenceElman.Out), seed: 11, DoubleTolerance);

    [Fact]
    public void Lstm_matches_the_naive_reference() =>
        AssertMatchesNaive(new ReferenceLstm(), new NaiveLstm(ReferenceLstm.In, ReferenceLstm.H, ReferenceLstm.Out), seed: 12, DoubleTolerance);

    /// <summary>
    /// The window is drawn in double and rounded to float once; the reference computes in double from the same
    /// rounded values, so the difference is the float arithmetic of the generated cell alone.
    /// </summary>
    [Fact]
    public void Single_precision_lstm_matches_the_double_reference() =>
        AssertMatchesNaive(new ReferenceLstmSingle(), new NaiveLstm(ReferenceLstmSingle.In, ReferenceLstmSingle.H, ReferenceLstmSingle.Out), seed: 13, SingleTolerance);

    /// <summary>
    /// Gives the naive network the cell's parameters, runs one window through both, and compares outputs, final
    /// state, every parameter gradient, the initial-state gradient and the adjoint norms.
    /// </summary>
    private void AssertMatchesNaive<T>(IUnrolledCell<T> cell, INaiveNetwork naive, int seed, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var window = Window.Create(seed, cell);
        CopyInto(naive.W_ih, Tensor(cell, cell.Parameters, "W_ih"));
        CopyInto(naive.W_hh, Tensor(cell, cell.Parameters, "W_hh"));
        CopyInto(naive.b_ih, Tensor(cell, cell.Parameters, "b_ih"));
        CopyInto(naive.b_hh, Tensor(cell, cell.Parameters, "b_hh"));
        CopyInto(naive.W_out, Tensor(cell, cell.Parameters, "W_out"));
        CopyInto(naive.b_out, Tensor(cell, cell.Parameters, "b_out"));

        var generated = RunGenerated(cell, window);
        foreach (var tensor in cell.ParameterTensors)
        {
            generated.Parameters[tensor.Name] = ToDouble(Tensor(cell, cell.Gradients, tensor.Name));
        }

        var outputs = naive.Forward(window.Inputs, window.InitialState);
        var finalState = naive.FinalState;
        var gradients = naive.Backward(window.OutputGradients, window.FinalStateGradient);

        AssertAgreement(generated, Reference(outputs, finalState, gradients), cell.ParameterTensors, tolerance);
    }

    /// <summary>The elements of the tensor <paramref name="name"/> in <paramref name="buffer"/> (Parameters or Gradients).</summary>
    private static Span<T> Tensor<T>(IUnrolledCell<T> cell, Span<T> buffer, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = cell.ParameterTensors.Single(t => t.Name == name);
        return buffer.Slice(tensor.Offset, tensor.Length);
    }

    [Fact]
    public void Elman_backward_accumulates_into_the_gradients() => AssertBackwardAccumulates(new ReferenceElman(), seed: 21);

    [Fact]
    public void Lstm_backward_accumulates_into_the_gradients() => AssertBackwardAccumulates(new ReferenceLstm(), seed: 22);

    [Fact]
    public void Elman_backward_reads_an_empty_final_state_gradient_as_zero() => AssertEmptyFinalStateGradientIsZero(new ReferenceElman(), seed: 41);

    [Fact]
    public void Lstm_backward_reads_an_empty_final_state_gradient_as_zero() => AssertEmptyFinalStateGradientIsZero(new ReferenceLstm(), seed: 42);

    [Fact]
    public void Elman_steps_reproduce_forward() => AssertStepsReproduceForward(new ReferenceElman(), seed: 31);

    [Fact]
    public void Lstm_steps_reproduce_forward() => AssertStepsReproduceForward(new ReferenceLstm(), seed: 32);

    [Fact]
    public void Single_precision_lstm_steps_reproduce_forward() => AssertStepsReproduceForward(new ReferenceLstmSingle(), seed: 33);

    /// <summary>
    /// Forward + Backward twice from the same state, without ZeroGradients in between, leaves twice the
    /// gradients of one pass; the initial-state gradient and the norms are written, not accumulated.
    /// </summary>
    private void AssertBackwardAccumulates(IUnrolledCell<double> cell, int seed)
    {
        var window = Window.Create(seed, cell);
        var generated = RunGenerated(cell, window);
        var once = cell.Gradients.ToArray();

        var second = RunGenerated(cell, window, zeroGradients: false);
        var twice = cell.Gradients.ToArray();
        var doubled = once.Select(g => 2 * g).ToArray();

        // Two sums of the same terms in a different grouping: equal up to round-off.
        double error = RelativeError(twice, doubled);
        _output.WriteLine($"gradients after two passes vs 2 x one pass: relative error {error:E2} (tolerance {DoubleTolerance:E0}); |gradients| max {MaxAbs(once):G4}");
        Assert.True(once.Any(g => g != 0), "One pass left every gradient zero: nothing was tested.");
        Assert.True(error <= DoubleTolerance, $"Backward does not accumulate: relative error {error:E2}.");
        Assert.Equal(generated.InitialStateGradient, second.InitialStateGradient);
        Assert.Equal(generated.StateAdjointNorms, second.StateAdjointNorms);
    }

    /// <summary>
    /// Backward with an empty finalStateGradient, the documented shorthand for zero, gives exactly what an
    /// explicit array of zeros gives.
    /// </summary>
    private void AssertEmptyFinalStateGradientIsZero(IUnrolledCell<double> cell, int seed)
    {
        var window = Window.Create(seed, cell);
        var zero = RunGenerated(cell, window with { FinalStateGradient = new double[cell.StateSize] });
        var zeroGradients = cell.Gradients.ToArray();
        var empty = RunGenerated(cell, window with { FinalStateGradient = Array.Empty<double>() });
        var emptyGradients = cell.Gradients.ToArray();

        _output.WriteLine($"initial-state gradient: {RelativeError(empty.InitialStateGradient, zero.InitialStateGradient):E2}; " +
                          $"norms: {RelativeError(empty.StateAdjointNorms, zero.StateAdjointNorms):E2}; gradients: {RelativeError(emptyGradients, zeroGradients):E2}");
        Assert.Equal(zero.InitialStateGradient, empty.InitialStateGradient);
        Assert.Equal(zero.StateAdjointNorms, empty.StateAdjointNorms);
        Assert.Equal(zeroGradients, emptyGradients);
    }

    /// <summary>Step, called k2 times from the state Forward starts from, computes the same outputs and final state.</summary>
    private void AssertStepsReproduceForward<T>(IUnrolledCell<T> cell, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var window = Window.Create(seed, cell);
        int k2 = cell.TruncationLength, inputSize = cell.InputSize, outputSize = cell.OutputSize;
        var inputs = Convert<T>(Flatten(window.Inputs));

        Convert<T>(window.InitialState).CopyTo(cell.State);
        var forwardOutputs = new T[k2 * outputSize];
        cell.Forward(inputs, forwardOutputs);
        var forwardFinalState = cell.State.ToArray();

        Convert<T>(window.InitialState).CopyTo(cell.State);
        var stepOutputs = new T[k2 * outputSize];
        for (int t = 0; t < k2; t++)
        {
            cell.Step(inputs.AsSpan(t * inputSize, inputSize), stepOutputs.AsSpan(t * outputSize, outputSize));
        }

        var stepFinalState = cell.State.ToArray();

        // The same step code on the same values: the results are identical, not merely close.
        _output.WriteLine($"outputs: relative difference {RelativeError(ToDouble(stepOutputs), ToDouble(forwardOutputs)):E2}; " +
                          $"final state: {RelativeError(ToDouble(stepFinalState), ToDouble(forwardFinalState)):E2}");
        Assert.Equal(forwardOutputs, stepOutputs);
        Assert.Equal(forwardFinalState, stepFinalState);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running and comparing

    /// <summary>One window of a problem: everything random that Forward and Backward consume, in double.</summary>
    private sealed record Window(double[][] Inputs, double[] InitialState, double[][] OutputGradients, double[] FinalStateGradient)
    {
        /// <summary>
        /// Draws parameters (written into the cell, uniform in [-0.5, 0.5]), an initial state in [-0.5, 0.5],
        /// inputs, output gradients and a final-state gradient in [-1, 1]. Values are rounded to the cell's element
        /// type, so that a float cell and the double reference see exactly the same numbers.
        /// </summary>
        public static Window Create<T>(int seed, IUnrolledCell<T> cell)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(seed);
            var parameters = Draw(random, cell.ParameterCount, 0.5);
            Convert<T>(parameters).CopyTo(cell.Parameters);
            var initialState = Round<T>(Draw(random, cell.StateSize, 0.5));
            var inputs = Enumerable.Range(0, cell.TruncationLength).Select(_ => Round<T>(Draw(random, cell.InputSize, 1.0))).ToArray();
            var outputGradients = Enumerable.Range(0, cell.TruncationLength).Select(_ => Round<T>(Draw(random, cell.OutputSize, 1.0))).ToArray();
            var finalStateGradient = Round<T>(Draw(random, cell.StateSize, 1.0));
            return new Window(inputs, initialState, outputGradients, finalStateGradient);
        }

        private static double[] Draw(Random random, int length, double scale)
        {
            var values = new double[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = scale * (2 * random.NextDouble() - 1);
            }

            return values;
        }

        private static double[] Round<T>(double[] values)
            where T : unmanaged, IFloatingPointIeee754<T> => ToDouble<T>(Convert<T>(values));
    }

    /// <summary>Everything compared, by name, in double: from the generated cell or from the reference.</summary>
    private sealed class Results
    {
        public double[] Outputs = Array.Empty<double>();
        public double[] FinalState = Array.Empty<double>();
        public double[] InitialStateGradient = Array.Empty<double>();
        public double[] StateAdjointNorms = Array.Empty<double>();
        public Dictionary<string, double[]> Parameters { get; } = new();
    }

    /// <summary>
    /// Sets the window's initial state, runs Forward then Backward (after ZeroGradients, unless told not to), and
    /// collects outputs, final state, initial-state gradient and norms. The caller adds the parameter gradients
    /// from the cell's named views.
    /// </summary>
    private static Results RunGenerated<T>(IUnrolledCell<T> cell, Window window, bool zeroGradients = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Convert<T>(window.InitialState).CopyTo(cell.State);
        var outputs = new T[cell.TruncationLength * cell.OutputSize];
        var initialStateGradient = new T[cell.StateSize];
        var norms = new T[cell.TruncationLength];
        if (zeroGradients)
        {
            cell.ZeroGradients();
        }

        cell.Forward(Convert<T>(Flatten(window.Inputs)), outputs);
        var finalState = cell.State.ToArray();
        cell.Backward(Convert<T>(Flatten(window.OutputGradients)), Convert<T>(window.FinalStateGradient), initialStateGradient, norms);
        return new Results
        {
            Outputs = ToDouble<T>(outputs),
            FinalState = ToDouble<T>(finalState),
            InitialStateGradient = ToDouble<T>(initialStateGradient),
            StateAdjointNorms = ToDouble<T>(norms),
        };
    }

    private static Results Reference(double[][] outputs, double[] finalState, NaiveGradients gradients)
    {
        var results = new Results
        {
            Outputs = Flatten(outputs),
            FinalState = finalState,
            InitialStateGradient = gradients.InitialStateGradient,
            StateAdjointNorms = gradients.StateAdjointNorms,
        };
        foreach (var (name, gradient) in gradients.Parameters)
        {
            results.Parameters[name] = Flatten(gradient);
        }

        return results;
    }

    /// <summary>Compares every quantity, prints a table of the relative errors, and asserts each is within tolerance.</summary>
    private void AssertAgreement(Results generated, Results reference, IReadOnlyList<ParameterTensor> tensors, double tolerance)
    {
        // Every parameter tensor of the cell is compared: none is left out by the test.
        Assert.Equal(tensors.Select(t => t.Name).OrderBy(n => n), reference.Parameters.Keys.OrderBy(n => n));
        Assert.Equal(reference.Parameters.Keys.OrderBy(n => n), generated.Parameters.Keys.OrderBy(n => n));

        var rows = new List<(string Name, double Error, double Scale)>
        {
            ("outputs", RelativeError(generated.Outputs, reference.Outputs), MaxAbs(reference.Outputs)),
            ("final state", RelativeError(generated.FinalState, reference.FinalState), MaxAbs(reference.FinalState)),
        };
        foreach (var tensor in tensors)
        {
            rows.Add(("dL/d" + tensor.Name, RelativeError(generated.Parameters[tensor.Name], reference.Parameters[tensor.Name]), MaxAbs(reference.Parameters[tensor.Name])));
        }

        rows.Add(("dL/d(initial state)", RelativeError(generated.InitialStateGradient, reference.InitialStateGradient), MaxAbs(reference.InitialStateGradient)));
        rows.Add(("state adjoint norms", RelativeError(generated.StateAdjointNorms, reference.StateAdjointNorms), MaxAbs(reference.StateAdjointNorms)));

        _output.WriteLine($"{"quantity",-22} {"relative error",14} {"max |reference|",16}");
        foreach (var (name, error, scale) in rows)
        {
            _output.WriteLine($"{name,-22} {error,14:E2} {scale,16:G4}");
        }

        double worst = rows.Max(r => r.Error);
        _output.WriteLine($"max relative error {worst:E2} (tolerance {tolerance:E0})");
        foreach (var (name, error, scale) in rows)
        {
            Assert.True(scale > 0, $"The reference {name} is all zero: nothing was compared.");
            Assert.True(error <= tolerance, $"{name}: relative error {error:E2} exceeds {tolerance:E0}.");
        }
    }

    /// <summary>max_i |a_i - b_i| / max(max_i |a_i|, max_i |b_i|, 1e-12).</summary>
    private static double RelativeError(double[] a, double[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double difference = 0;
        for (int i = 0; i < a.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(a[i] - b[i]));
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]))
            {
                return double.PositiveInfinity;
            }
        }

        return difference / Math.Max(Math.Max(MaxAbs(a), MaxAbs(b)), 1e-12);
    }

    private static double MaxAbs(double[] values) => values.Length == 0 ? 0 : values.Max(Math.Abs);

    // ---------------------------------------------------------------------------------------------------------
    // Conversions between the cell's spans and the reference's arrays

    /// <summary>Copies a row-major view into a [row, column] matrix.</summary>
    private static void CopyInto<T>(double[,] destination, Span<T> source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = destination.GetLength(0), columns = destination.GetLength(1);
        Assert.Equal(rows * columns, source.Length);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                destination[r, c] = double.CreateChecked(source[r * columns + c]);
            }
        }
    }

    private static void CopyInto<T>(double[] destination, Span<T> source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(destination.Length, source.Length);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = double.CreateChecked(source[i]);
        }
    }

    private static double[] Flatten(double[][] steps) => steps.SelectMany(s => s).ToArray();

    private static double[] Flatten(double[,] matrix) => matrix.Cast<double>().ToArray(); // row-major

    private static T[] Convert<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => values.Select(T.CreateChecked).ToArray();

    private static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateChecked(values[i]);
        }

        return result;
    }

    private static double[] ToDouble<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => ToDouble<T>((ReadOnlySpan<T>)values);

    private static double[] ToDouble<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> => ToDouble<T>((ReadOnlySpan<T>)values);
}
