using System;

namespace UnrolledRnn.Sample.Tasks;

/// <summary>
/// Many delayed-recall streams, each with bits of its own, filled a window at a time in the layout of a batched
/// update (stream after stream). Stream 0 has the bits of a <see cref="DelayedRecall"/> of the same seed; stream s
/// those of seed + s × 10,007, so that no stream has the bits of the fresh evaluation data (seed + 1000).
/// </summary>
public sealed class DelayedRecallStreams
{
    private const int SeedStride = 10_007;
    private readonly DelayedRecall[] _streams;

    /// <summary>Creates <paramref name="count"/> streams.</summary>
    public DelayedRecallStreams(int count, int delay, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _streams = new DelayedRecall[count];
        for (int s = 0; s < count; s++) _streams[s] = new DelayedRecall(delay, seed + SeedStride * s);
    }

    /// <summary>
    /// Fills every stream's next window: <paramref name="inputs"/> and <paramref name="targets"/> hold one window of
    /// each stream, stream after stream, of inputs.Length / count steps.
    /// </summary>
    public void NextWindow(Span<float> inputs, Span<float> targets)
    {
        if (inputs.Length % _streams.Length != 0 || targets.Length != inputs.Length)
        {
            throw new ArgumentException(
                $"Expected inputs and targets of the same length, a multiple of the {_streams.Length} streams; got {inputs.Length} and {targets.Length}.");
        }

        int steps = inputs.Length / _streams.Length;
        for (int s = 0; s < _streams.Length; s++) _streams[s].Next(inputs.Slice(s * steps, steps), targets.Slice(s * steps, steps));
    }
}
