using System;
using System.Collections.Generic;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Training;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// The trainer computes exactly what TBPTT(k1, k2) specifies: against full BPTT of the naive references when
/// k1 = k2 = T on one sequence, and against <see cref="BruteForceTbptt"/>, which rebuilds every window from
/// scratch, for k1 &lt; k2, k1 = k2 and k1 &gt; k2 with warm-up steps, steps without targets and a reset. All in double
/// precision: the generated and naive code sum in different orders, so they agree to round-off, and
/// <see cref="Tolerance"/> (relative to each quantity's scale) leaves a wide margin while catching any wrong term.
/// </summary>
public sealed class TbpttExactnessTests
{
    private const double Tolerance = 1e-11;

    private readonly ITestOutputHelper _output;

    public TbpttExactnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Elman_with_k1_equal_k2_equal_T_is_full_bptt_of_the_naive_reference()
    {
        var cell = new TrainingElman();
        AssertFullBptt(cell, NaiveNetwork.Elman(cell, TrainingElman.H), seed: 1);
    }

    [Fact]
    public void Lstm_with_k1_equal_k2_equal_T_is_full_bptt_of_the_naive_reference()
    {
        var cell = new TrainingLstm();
        AssertFullBptt(cell, NaiveNetwork.Lstm(cell, TrainingLstm.H), seed: 2);
    }

    /// <summary>One sequence of T = k2 steps, targets at every step but the first (a warm-up step), one update at step T.</summary>
    private void AssertFullBptt<TCell>(TCell cell, NaiveNetwork naive, int seed) where TCell : class, IUnrolledCell<double>
    {
        var random = new Random(seed);
        Randomize(cell, random);
        naive.SetParameters(cell.Parameters.ToArray());
        int steps = cell.TruncationLength;
        var inputs = RandomRows(random, steps, cell.InputSize);
        var targets = RandomRows(random, steps, cell.OutputSize);

        var trainer = new TbpttTrainer<TCell, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(learningRate: 0), updateInterval: steps);
        for (int t = 0; t < steps; t++)
        {
            bool updated = trainer.Step(inputs[t], t == 0 ? ReadOnlySpan<double>.Empty : targets[t]);
            Assert.Equal(t == steps - 1, updated);
        }

        // Full BPTT by hand: the naive forward over the sequence from the zero state, MSE gradients, naive backward.
        var outputs = naive.Forward(inputs, new double[cell.StateSize]);
        double loss = 0;
        var outputGradients = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            outputGradients[t] = new double[cell.OutputSize];
            for (int i = 0; t > 0 && i < cell.OutputSize; i++)
            {
                double difference = outputs[t][i] - targets[t][i];
                loss += difference * difference / cell.OutputSize;
                outputGradients[t][i] = 2 * difference / cell.OutputSize;
            }
        }

        var (gradient, norms, _) = naive.Backward(outputGradients);
        var report = trainer.LastReport;
        _output.WriteLine($"{typeof(TCell).Name}: {report}; naive loss {loss:R}");
        Assert.Equal(UpdateOutcome.Applied, report.Outcome);
        Assert.Equal(steps - 1, report.LossSteps);
        AssertClose(loss, report.Loss, "loss");
        AssertClose(gradient, cell.Gradients.ToArray(), "gradient");
        AssertClose(norms, report.StateAdjointNorms.ToArray(), "state adjoint norms");
        AssertClose(naive.FinalState, cell.State.ToArray(), "carried state");
    }

    public static TheoryData<int, int> Schedules => new()
    {
        { 1, 6 },  // k1 < k2: an update every step, overlapping windows
        { 2, 6 },
        { 4, 6 },  // k2 not a multiple of k1: the first update waits for a full window
        { 6, 6 },  // the usual chunked form
        { 9, 6 },  // k1 > k2: plain forward steps between windows
        { 13, 6 },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Elman_matches_the_brute_force_reference(int k1, int k2) =>
        AssertMatchesBruteForce(() => new TrainingElman(), cell => NaiveNetwork.Elman(cell, TrainingElman.H), k1, k2, seed: 10 + k1);

    [Theory]
    [InlineData(2, 5)]
    [InlineData(7, 5)]
    public void Lstm_matches_the_brute_force_reference(int k1, int k2) =>
        AssertMatchesBruteForce(() => new TrainingLstm(), cell => NaiveNetwork.Lstm(cell, TrainingLstm.H), k1, k2, seed: 20 + k1);

    /// <summary>
    /// 60 steps with SGD (learning rate 0.05, so the parameters move and a recomputed window differs from the
    /// streamed one when k1 &lt; k2): three warm-up steps without targets, a gap without targets, a reset at step
    /// 31. The trainer is driven twice, step by step and in runs of varied lengths (which take the fast path when
    /// k1 ≥ k2); both must match the brute force, and each other exactly.
    /// </summary>
    private void AssertMatchesBruteForce<TCell>(Func<TCell> create, Func<TCell, NaiveNetwork> naiveOf, int k1, int k2, int seed)
        where TCell : class, IUnrolledCell<double>
    {
        const int Steps = 60, ResetAt = 31;
        const double LearningRate = 0.05;
        var random = new Random(seed);
        var stepped = create();
        Assert.Equal(k2, stepped.TruncationLength);
        Randomize(stepped, random);
        var inputs = RandomRows(random, Steps, stepped.InputSize);
        var targets = RandomRows(random, Steps, stepped.OutputSize);
        bool HasTarget(int t) => t % ResetAt >= 3 && t is not (40 or 41 or 42);

        var bruteForce = new BruteForceTbptt(naiveOf(stepped), k1, k2, LearningRate);
        var bruteOutputs = new List<double[]>();
        for (int t = 0; t < Steps; t++)
        {
            if (t == ResetAt)
            {
                bruteForce.Reset();
            }

            bruteOutputs.Add(bruteForce.Step(inputs[t], HasTarget(t) ? targets[t] : null));
        }

        // Step by step.
        var run = create();
        stepped.Parameters.CopyTo(run.Parameters);
        var steppedTrainer = new TbpttTrainer<TCell, double>(stepped, new MeanSquaredError<double>(), new Sgd<double>(LearningRate), k1);
        var steppedReports = new ReportLog(stepped);
        steppedTrainer.Monitor = steppedReports;
        var steppedOutputs = new double[Steps][];
        for (int t = 0; t < Steps; t++)
        {
            if (t == ResetAt)
            {
                steppedTrainer.Reset();
            }

            steppedOutputs[t] = new double[stepped.OutputSize];
            steppedTrainer.Step(inputs[t], HasTarget(t) ? targets[t] : ReadOnlySpan<double>.Empty, steppedOutputs[t]);
        }

        // In runs: of lengths 1 .. 13, each run holding only steps with targets or only steps without.
        var runTrainer = new TbpttTrainer<TCell, double>(run, new MeanSquaredError<double>(), new Sgd<double>(LearningRate), k1);
        var runReports = new ReportLog(run);
        runTrainer.Monitor = runReports;
        var runOutputs = new double[Steps * run.OutputSize];
        for (int t = 0; t < Steps;)
        {
            if (t == ResetAt)
            {
                runTrainer.Reset();
            }

            int length = 1 + random.Next(13);
            int end = Math.Min(Math.Min(t + length, Steps), t < ResetAt ? ResetAt : Steps);
            int stop = t + 1;
            while (stop < end && HasTarget(stop) == HasTarget(t))
            {
                stop++;
            }

            var runInputs = Flatten(inputs, t, stop);
            var runTargets = HasTarget(t) ? Flatten(targets, t, stop) : Array.Empty<double>();
            runTrainer.Run(runInputs, runTargets, runOutputs.AsSpan(t * run.OutputSize, (stop - t) * run.OutputSize));
            t = stop;
        }

        _output.WriteLine($"{typeof(TCell).Name} k1 = {k1}, k2 = {k2}: {bruteForce.Updates.Count} updates; brute force at steps {string.Join(", ", bruteForce.Updates.ConvertAll(u => u.Step))} of their sequence");
        Assert.NotEmpty(bruteForce.Updates);
        Assert.Equal(bruteForce.Updates.Count, steppedReports.Reports.Count);
        Assert.Equal(bruteForce.Updates.Count, runReports.Reports.Count);
        for (int u = 0; u < bruteForce.Updates.Count; u++)
        {
            var expected = bruteForce.Updates[u];
            var actual = steppedReports.Reports[u];
            Assert.Equal(UpdateOutcome.Applied, actual.Outcome);
            Assert.Equal(expected.LossSteps, actual.LossSteps);
            Assert.Equal(u, actual.UpdateIndex);
            Assert.Equal(expected.TotalSteps, actual.StepIndex);
            Assert.Equal(actual.StepIndex, runReports.Reports[u].StepIndex);
            AssertClose(expected.Loss, actual.Loss, $"update {u}: loss");
            AssertClose(expected.Gradient, actual.Gradient, $"update {u}: gradient");
            AssertClose(expected.Norms, actual.Norms, $"update {u}: state adjoint norms");
            AssertClose(expected.ParametersAfter, actual.ParametersAfter, $"update {u}: parameters after");

            // The runs compute the same thing, in the same order: to the last bit.
            Assert.Equal(actual.Loss, runReports.Reports[u].Loss);
            Assert.Equal(actual.Gradient, runReports.Reports[u].Gradient);
            Assert.Equal(actual.Norms, runReports.Reports[u].Norms);
            Assert.Equal(actual.ParametersAfter, runReports.Reports[u].ParametersAfter);
        }

        for (int t = 0; t < Steps; t++)
        {
            AssertClose(bruteOutputs[t], steppedOutputs[t], $"streamed output at step {t}");
            Assert.Equal(steppedOutputs[t], runOutputs.AsSpan(t * run.OutputSize, run.OutputSize).ToArray());
        }

        AssertClose(bruteForce.State, stepped.State.ToArray(), "carried state");
        Assert.Equal(stepped.State.ToArray(), run.State.ToArray());
    }

    /// <summary>Keeps a copy of every report, with the gradient and the parameters after the update.</summary>
    private sealed class ReportLog : ITrainingMonitor<double>
    {
        private readonly IUnrolledCell<double> _cell;

        public ReportLog(IUnrolledCell<double> cell) => _cell = cell;

        public List<(long UpdateIndex, long StepIndex, double Loss, int LossSteps, UpdateOutcome Outcome, double[] Gradient, double[] Norms, double[] ParametersAfter)> Reports { get; } = new();

        public void OnUpdate(in UpdateReport<double> report) =>
            Reports.Add((report.UpdateIndex, report.StepIndex, report.Loss, report.LossSteps, report.Outcome,
                _cell.Gradients.ToArray(), report.StateAdjointNorms.ToArray(), _cell.Parameters.ToArray()));
    }

    internal static void Randomize(IUnrolledCell<double> cell, Random random)
    {
        var parameters = cell.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = 0.6 * (2 * random.NextDouble() - 1);
        }
    }

    internal static double[][] RandomRows(Random random, int rows, int columns)
    {
        var values = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            values[r] = new double[columns];
            for (int c = 0; c < columns; c++)
            {
                values[r][c] = 2 * random.NextDouble() - 1;
            }
        }

        return values;
    }

    private static double[] Flatten(double[][] rows, int from, int to)
    {
        var flat = new List<double>();
        for (int r = from; r < to; r++)
        {
            flat.AddRange(rows[r]);
        }

        return flat.ToArray();
    }

    private static void AssertClose(double expected, double actual, string what) => AssertClose(new[] { expected }, new[] { actual }, what);

    /// <summary>max_i |e_i - a_i| / max(max_i |e_i|, 1e-12) below <see cref="Tolerance"/>.</summary>
    internal static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1e-12, error = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(error / scale <= Tolerance, $"{what}: relative error {error / scale:E2} (expected {string.Join(", ", expected)}; actual {string.Join(", ", actual)})");
    }
}
