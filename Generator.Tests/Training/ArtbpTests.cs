using System;
using System.Linq;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Training;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Training;

/// <summary>
/// ARTBP on a small problem: an Elman network (In 2, H 4, Out 1) on one sequence of 8 steps with an MSE target
/// at every step. With k1 = k2 = 8 the window is the whole sequence, so plain TBPTT(8, 8) is full BPTT, g*.
/// ARTBP draws a truncation length L ≤ 8 per update; its estimate must be unbiased for g*, while plain TBPTT with
/// the same mean length, TBPTT(4, 4), is biased. Everything is seeded, so the figures are reproducible.
/// </summary>
public sealed class ArtbpTests
{
    private const int Steps = 8;

    private readonly ITestOutputHelper _output;

    public ArtbpTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Mean_of_artbp_estimates_approaches_full_bptt_while_tbptt_of_the_same_mean_length_stays_biased()
    {
        const int Estimates = 20000;
        var problem = Problem.Create(seed: 7);

        // The constant truncation probability whose mean truncation length over 8 steps is 4.
        double hazard = Bisect(c => ArtbpSchedule.Constant(c).MeanLength(Steps) - 4.0, 1e-6, 0.999);
        var schedule = ArtbpSchedule.Constant(hazard);
        Assert.Equal(4.0, schedule.MeanLength(Steps), 1e-12);

        var statistics = SampleArtbp(problem, schedule, Estimates, seed: 2017);
        double[] tbptt = problem.TbpttOfLengthFour();
        double fullNorm = Norm(problem.FullGradient);
        double artbpError = Norm(Subtract(statistics.Mean, problem.FullGradient)) / fullNorm;
        double expectedError = Math.Sqrt(statistics.StandardErrors.Sum(e => e * e)) / fullNorm;
        double tbpttBias = Norm(Subtract(tbptt, problem.FullGradient)) / fullNorm;
        double maxArtbpZ = MaxZ(statistics.Mean, problem.FullGradient, statistics.StandardErrors);
        double maxTbpttZ = MaxZ(tbptt, problem.FullGradient, statistics.StandardErrors);

        _output.WriteLine($"c = {hazard:F6} (E[L] = 4 over k2 = 8); {Estimates} ARTBP estimates, mean drawn L = {statistics.MeanLength:F4} ± {statistics.LengthStandardError:F4}");
        _output.WriteLine($"|full BPTT gradient| = {fullNorm:G6}; ARTBP: |mean - full| / |full| = {artbpError:P3} (statistical expectation {expectedError:P3}), worst component z = {maxArtbpZ:F2}");
        _output.WriteLine($"TBPTT(4, 4): |g - full| / |full| = {tbpttBias:P2}, worst component off by {maxTbpttZ:F0} ARTBP standard errors");
        _output.WriteLine($"Single ARTBP estimate: mean relative deviation from full BPTT {statistics.MeanSingleError:P1}");

        // The drawn lengths follow the schedule.
        Assert.True(Math.Abs(statistics.MeanLength - 4.0) <= 5 * statistics.LengthStandardError);

        // Unbiased: every component of the mean within 5 standard errors of full BPTT (37 components: a false alarm
        // has probability about 2e-5), and the whole error within 3 times what the standard errors predict.
        Assert.True(maxArtbpZ <= 5, $"ARTBP mean off by {maxArtbpZ:F2} standard errors");
        Assert.True(artbpError <= 3 * expectedError, $"ARTBP relative error {artbpError:P3} against {expectedError:P3} expected");

        // Biased: TBPTT(4, 4) misses full BPTT by more than ten times ARTBP's error, with a component more than 20
        // standard errors off: a bias the same number of samples measures without doubt.
        Assert.True(tbpttBias >= 10 * artbpError, $"TBPTT bias only {tbpttBias:P2}");
        Assert.True(maxTbpttZ >= 20, $"TBPTT's worst component only {maxTbpttZ:F1} standard errors off");
    }

    [Fact]
    public void A_sparse_schedule_is_unbiased_too()
    {
        const int Estimates = 8000;
        var problem = Problem.Create(seed: 8);
        var schedule = ArtbpSchedule.FromHazards(new[] { 0, 0.5, 0, 0.5, 0, 0.5, 0 });
        var statistics = SampleArtbp(problem, schedule, Estimates, seed: 5);
        double maxZ = MaxZ(statistics.Mean, problem.FullGradient, statistics.StandardErrors);
        _output.WriteLine($"hazards 0, .5, 0, .5, 0, .5, 0 (E[L] = {schedule.MeanLength(Steps):F3}): mean drawn L = {statistics.MeanLength:F3}; worst component z = {maxZ:F2}");
        Assert.True(maxZ <= 5, $"ARTBP mean off by {maxZ:F2} standard errors");
    }

    /// <summary>
    /// The construction, exactly: with c_4 = 1/2 and no other truncation, L is 4 or 8. L = 4 must give G_4, the
    /// gradient with the state 4 steps before the end held constant; L = 8 must give w_7 G_8 + (w_3 - w_4) G_4 =
    /// 2 G_8 - G_4 (w_0..w_3 = 1, w_4..w_7 = 2). G_4 comes from the naive reference on the last 4 steps.
    /// </summary>
    [Fact]
    public void Each_estimate_is_the_weighted_sum_of_truncated_gradients()
    {
        var problem = Problem.Create(seed: 9);
        double[] g4 = problem.NaiveTruncatedGradient(lastSteps: 4);
        double[] g8 = problem.FullGradient;
        var cell = problem.NewCell();
        var trainer = new TbpttTrainer<TrainingArtbpElman, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0), Steps,
            new TbpttOptions { Artbp = ArtbpSchedule.FromHazards(new[] { 0, 0, 0, 0.5 }), ArtbpSeed = 3 });
        int[] seen = new int[Steps + 1];
        for (int n = 0; n < 40; n++)
        {
            trainer.Reset();
            trainer.Run(problem.Inputs, problem.Targets);
            int length = trainer.LastReport.BackpropagatedSteps;
            seen[length]++;
            var expected = length == 4 ? g4 : g8.Zip(g4, (full, truncated) => 2 * full - truncated).ToArray();
            TbpttExactnessTests.AssertClose(expected, cell.Gradients.ToArray(), $"estimate {n} (L = {length})");
        }

        _output.WriteLine($"L = 4: {seen[4]} times, L = 8: {seen[8]} times");
        Assert.Equal(40, seen[4] + seen[8]);
        Assert.True(seen[4] > 0 && seen[8] > 0);
    }

    [Fact]
    public void A_schedule_that_never_truncates_is_plain_tbptt()
    {
        var problem = Problem.Create(seed: 10);
        var cell = problem.NewCell();
        var trainer = new TbpttTrainer<TrainingArtbpElman, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0), Steps,
            new TbpttOptions { Artbp = ArtbpSchedule.FromHazards(ReadOnlySpan<double>.Empty) });
        trainer.Run(problem.Inputs, problem.Targets);
        Assert.Equal(Steps, trainer.LastReport.BackpropagatedSteps);
        Assert.Equal(problem.FullGradient, cell.Gradients.ToArray());
        Assert.Equal(problem.FullNorms, trainer.LastReport.StateAdjointNorms.ToArray());
    }

    private static (double[] Mean, double[] StandardErrors, double MeanLength, double LengthStandardError, double MeanSingleError) SampleArtbp(
        Problem problem, ArtbpSchedule schedule, int estimates, int seed)
    {
        var cell = problem.NewCell();
        var trainer = new TbpttTrainer<TrainingArtbpElman, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0), Steps,
            new TbpttOptions { Artbp = schedule, ArtbpSeed = seed });
        int count = TrainingArtbpElman.ParameterCount;
        var sum = new double[count];
        var sumOfSquares = new double[count];
        double lengthSum = 0, lengthSquares = 0, singleErrors = 0, fullNorm = Norm(problem.FullGradient);
        for (int n = 0; n < estimates; n++)
        {
            trainer.Reset();
            trainer.Run(problem.Inputs, problem.Targets);
            Assert.Equal(1, trainer.UpdateCount - n);
            var gradient = cell.Gradients;
            double squaredDeviation = 0;
            for (int i = 0; i < count; i++)
            {
                sum[i] += gradient[i];
                sumOfSquares[i] += gradient[i] * gradient[i];
                squaredDeviation += (gradient[i] - problem.FullGradient[i]) * (gradient[i] - problem.FullGradient[i]);
            }

            singleErrors += Math.Sqrt(squaredDeviation) / fullNorm;
            int length = trainer.LastReport.BackpropagatedSteps;
            lengthSum += length;
            lengthSquares += length * length;
        }

        var mean = new double[count];
        var standardErrors = new double[count];
        for (int i = 0; i < count; i++)
        {
            mean[i] = sum[i] / estimates;
            double variance = (sumOfSquares[i] / estimates - mean[i] * mean[i]) * estimates / (estimates - 1);
            standardErrors[i] = Math.Sqrt(Math.Max(variance, 0) / estimates);
        }

        double meanLength = lengthSum / estimates;
        double lengthVariance = (lengthSquares / estimates - meanLength * meanLength) * estimates / (estimates - 1);
        return (mean, standardErrors, meanLength, Math.Sqrt(lengthVariance / estimates), singleErrors / estimates);
    }

    /// <summary>The largest |a_i - b_i| / se_i over components with a non-zero standard error.</summary>
    private static double MaxZ(double[] a, double[] b, double[] standardErrors)
    {
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (standardErrors[i] > 0)
            {
                worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / standardErrors[i]);
            }
            else
            {
                Assert.Equal(b[i], a[i], 1e-12);
            }
        }

        return worst;
    }

    private static double Bisect(Func<double, double> f, double low, double high)
    {
        // f decreases in c: a higher truncation probability shortens the mean length.
        for (int i = 0; i < 100; i++)
        {
            double middle = (low + high) / 2;
            if (f(middle) > 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return (low + high) / 2;
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    private static double[] Subtract(double[] a, double[] b) => a.Zip(b, (x, y) => x - y).ToArray();

    /// <summary>The parameters, the sequence, and full BPTT's gradient (from the trainer with k1 = k2 = 8, checked against the naive reference).</summary>
    private sealed class Problem
    {
        private Problem(double[] parameters, double[][] inputRows, double[][] targetRows)
        {
            Parameters = parameters;
            InputRows = inputRows;
            TargetRows = targetRows;
            Inputs = inputRows.SelectMany(r => r).ToArray();
            Targets = targetRows.SelectMany(r => r).ToArray();
        }

        public double[] Parameters { get; }

        public double[][] InputRows { get; }

        public double[][] TargetRows { get; }

        public double[] Inputs { get; }

        public double[] Targets { get; }

        public double[] FullGradient { get; private set; } = Array.Empty<double>();

        public double[] FullNorms { get; private set; } = Array.Empty<double>();

        /// <summary>
        /// Recurrent weights drawn larger than the rest (±1.2 against ±0.6) so that dependencies reach across the
        /// sequence and truncation visibly matters.
        /// </summary>
        public static Problem Create(int seed)
        {
            var random = new Random(seed);
            var cell = new TrainingArtbpElman();
            TbpttExactnessTests.Randomize(cell, random);
            foreach (var tensor in cell.ParameterTensors)
            {
                if (tensor.Name == "W_hh")
                {
                    for (int i = 0; i < tensor.Length; i++)
                    {
                        cell.Parameters[tensor.Offset + i] *= 2;
                    }
                }
            }

            var problem = new Problem(cell.Parameters.ToArray(),
                TbpttExactnessTests.RandomRows(random, Steps, TrainingArtbpElman.In), TbpttExactnessTests.RandomRows(random, Steps, TrainingArtbpElman.Out));
            var full = new TbpttTrainer<TrainingArtbpElman, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0), Steps);
            full.Run(problem.Inputs, problem.Targets);
            problem.FullGradient = cell.Gradients.ToArray();
            problem.FullNorms = full.LastReport.StateAdjointNorms.ToArray();
            TbpttExactnessTests.AssertClose(problem.NaiveTruncatedGradient(Steps), problem.FullGradient, "full BPTT against the naive reference");
            return problem;
        }

        public TrainingArtbpElman NewCell()
        {
            var cell = new TrainingArtbpElman();
            Parameters.CopyTo(cell.Parameters);
            return cell;
        }

        /// <summary>The sum of the gradients of TBPTT(4, 4)'s two updates over the sequence, at these parameters.</summary>
        public double[] TbpttOfLengthFour()
        {
            var cell = new TrainingArtbpElmanK4();
            Parameters.CopyTo(cell.Parameters);
            var trainer = new TbpttTrainer<TrainingArtbpElmanK4, double>(cell, new MeanSquaredError<double>(), new Sgd<double>(0), 4);
            var sum = new double[TrainingArtbpElmanK4.ParameterCount];
            for (int t = 0; t < Steps; t++)
            {
                if (trainer.Step(InputRows[t], TargetRows[t]))
                {
                    for (int i = 0; i < sum.Length; i++)
                    {
                        sum[i] += cell.Gradients[i];
                    }
                }
            }

            Assert.Equal(2, trainer.UpdateCount);
            return sum;
        }

        /// <summary>
        /// The naive reference's gradient of the whole sequence's loss with the state <paramref name="lastSteps"/>
        /// steps before the end held constant (the losses of the earlier steps do not reach the parameters).
        /// </summary>
        public double[] NaiveTruncatedGradient(int lastSteps)
        {
            var cell = NewCell();
            var naive = NaiveNetwork.Elman(cell, TrainingArtbpElman.H);
            int first = Steps - lastSteps;
            var state = new double[naive.StateSize];
            if (first > 0)
            {
                naive.Forward(InputRows[..first], state);
                state = naive.FinalState;
            }

            var outputs = naive.Forward(InputRows[first..], state);
            var outputGradients = new double[lastSteps][];
            for (int w = 0; w < lastSteps; w++)
            {
                outputGradients[w] = new[] { 2 * (outputs[w][0] - TargetRows[first + w][0]) };
            }

            return naive.Backward(outputGradients).Gradient;
        }
    }
}
