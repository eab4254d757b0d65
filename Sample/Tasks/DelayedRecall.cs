using System;

namespace UnrolledRnn.Sample.Tasks;

/// <summary>
/// The memory task: a stream of random bits (+1 or -1), and at every step the target is the bit seen
/// <see cref="Delay"/> steps earlier. Predicting 0 scores a mean squared error of 1; to do better the network
/// must carry each bit across <see cref="Delay"/> steps, which truncated BPTT can only teach if the window k2 is
/// longer than the delay: with k2 at most the delay, no target in a window depends on an input in that window.
/// </summary>
public sealed class DelayedRecall
{
    private readonly Random _random;
    private readonly float[] _pending; // the last Delay inputs, a ring
    private long _step;

    /// <summary>Creates the stream.</summary>
    /// <param name="delay">How many steps back the target looks.</param>
    /// <param name="seed">The seed of the bits.</param>
    public DelayedRecall(int delay, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, 1);
        Delay = delay;
        _random = new Random(seed);
        _pending = new float[delay];
    }

    /// <summary>How many steps back the target looks.</summary>
    public int Delay { get; }

    /// <summary>Fills the next <c>inputs.Length</c> steps: one input and one target per step.</summary>
    /// <param name="inputs">Receives the bits.</param>
    /// <param name="targets">Receives the bit seen <see cref="Delay"/> steps before each step (0 before the stream has that many).</param>
    public void Next(Span<float> inputs, Span<float> targets)
    {
        for (int t = 0; t < inputs.Length; t++, _step++)
        {
            int slot = (int)(_step % Delay);
            targets[t] = _pending[slot];
            float bit = _random.Next(2) == 0 ? -1f : 1f;
            inputs[t] = bit;
            _pending[slot] = bit;
        }
    }
}
