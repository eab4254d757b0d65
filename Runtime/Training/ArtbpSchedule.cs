using System;

namespace UnrolledRnn.Training;

/// <summary>
/// The truncation probabilities of ARTBP (Tallec and Ollivier, "Unbiasing truncated backpropagation through
/// time", 2017). An update walks back from the end of its window; on crossing back over distance l (from the
/// step l - 1 steps before the end to the state before it) it truncates with probability c_l, and a signal
/// that crosses without truncation is multiplied by 1/(1 - c_l). The window's start always truncates, so the
/// truncation length L is at most k2. See docs/training.md for the estimator and why it is unbiased.
/// </summary>
/// <remarks>
/// With the generated fixed-length window, each distance l &lt; L with c_l &gt; 0 costs one extra forward and
/// backward pass over a window; a schedule that truncates only at a few distances is cheaper.
/// </remarks>
public sealed class ArtbpSchedule
{
    private readonly double[] _hazards;
    private readonly double _constantHazard;

    private ArtbpSchedule(double[] hazards, double constantHazard)
    {
        _hazards = hazards;
        _constantHazard = constantHazard;
    }

    /// <summary>
    /// The same probability c at every distance: L is geometric, P(L &gt; d) = (1 - c)^d, cut at k2.
    /// The mean length is (1 - (1 - c)^k2) / c.
    /// </summary>
    /// <param name="hazard">c in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">c is not in (0, 1).</exception>
    public static ArtbpSchedule Constant(double hazard)
    {
        if (!(hazard > 0 && hazard < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(hazard), hazard, "The truncation probability must be in (0, 1).");
        }

        return new ArtbpSchedule(Array.Empty<double>(), hazard);
    }

    /// <summary>
    /// Given probabilities: <paramref name="hazards"/>[l - 1] is c_l for distances l = 1, 2, ...; distances beyond
    /// the list never truncate (until the window's start). Zeros are allowed: a distance with c_l = 0 costs nothing.
    /// </summary>
    /// <param name="hazards">Each in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability is not in [0, 1).</exception>
    public static ArtbpSchedule FromHazards(ReadOnlySpan<double> hazards)
    {
        for (int i = 0; i < hazards.Length; i++)
        {
            if (!(hazards[i] >= 0 && hazards[i] < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(hazards), hazards[i], $"Truncation probability {i + 1} must be in [0, 1).");
            }
        }

        return new ArtbpSchedule(hazards.ToArray(), 0);
    }

    /// <summary>c_l: the probability of truncating on crossing back over distance <paramref name="distance"/> (from 1).</summary>
    /// <param name="distance">l ≥ 1.</param>
    public double Hazard(int distance) =>
        _hazards.Length == 0 ? _constantHazard : distance <= _hazards.Length ? _hazards[distance - 1] : 0;

    /// <summary>
    /// E[L] for a window of <paramref name="truncationLength"/> steps: Σ_{d=0}^{k2-1} P(L &gt; d), with
    /// P(L &gt; d) = Π_{l=1}^{d} (1 - c_l).
    /// </summary>
    /// <param name="truncationLength">k2.</param>
    public double MeanLength(int truncationLength)
    {
        double mean = 0, survival = 1;
        for (int d = 0; d < truncationLength; d++)
        {
            mean += survival;
            survival *= 1 - Hazard(d + 1);
        }

        return mean;
    }
}
