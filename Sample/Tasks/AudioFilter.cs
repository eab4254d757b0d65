using System;

namespace UnrolledRnn.Sample.Tasks;

/// <summary>
/// The streaming task: a synthetic audio-like signal (two tones whose pitch and loudness drift, plus a little
/// noise) and, as the target, what a small effects unit makes of it: a soft-clipping distortion, tanh(3x),
/// followed by a one-pole low-pass filter. The kind of nonlinear filter with memory that real-time audio and
/// control code runs one sample at a time.
/// </summary>
public sealed class AudioFilter
{
    private const double LowPass = 0.3; // the filter's coefficient: y_t = y_{t-1} + a (tanh(3 x_t) - y_{t-1})
    private readonly Random _random;
    private double _phase1, _phase2, _drift, _filtered;
    private long _step;

    /// <summary>Creates the stream.</summary>
    /// <param name="seed">The seed of the noise and of the drift.</param>
    public AudioFilter(int seed)
    {
        _random = new Random(seed);
        _drift = _random.NextDouble() * 100;
    }

    /// <summary>Fills the next <c>inputs.Length</c> samples and their filtered targets.</summary>
    /// <param name="inputs">Receives the signal, within about [-1, 1].</param>
    /// <param name="targets">Receives the effect's output.</param>
    public void Next(Span<float> inputs, Span<float> targets)
    {
        for (int t = 0; t < inputs.Length; t++, _step++)
        {
            // Pitch drifts slowly (periods of about 12 to 40 samples), loudness swells and fades.
            _drift += 0.0007;
            double frequency1 = 0.025 + 0.02 * (0.5 + 0.5 * Math.Sin(_drift * 3.1));
            double frequency2 = 2.7 * frequency1;
            _phase1 += 2 * Math.PI * frequency1;
            _phase2 += 2 * Math.PI * frequency2;
            double loudness = 0.25 + 0.55 * (0.5 + 0.5 * Math.Sin(_drift * 7.3 + 1));
            double x = loudness * (0.8 * Math.Sin(_phase1) + 0.35 * Math.Sin(_phase2)) + 0.02 * (_random.NextDouble() * 2 - 1);

            _filtered += LowPass * (Math.Tanh(3 * x) - _filtered);
            inputs[t] = (float)x;
            targets[t] = (float)_filtered;
        }
    }
}
