using System;
using System.Numerics;

namespace UnrolledRnn;

/// <summary>
/// A small deterministic random number generator: xoshiro256** (Blackman and Vigna) seeded through
/// SplitMix64. The same seed gives the same sequence on every platform and .NET version, because every
/// method uses only integer arithmetic and correctly rounded IEEE operations (+, −, ×, ÷, √); the logarithm
/// that the Gaussian needs is computed here rather than taken from the platform's math library.
/// A mutable struct: pass it by <see langword="ref"/>.
/// </summary>
public struct SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    /// <summary>Starts the sequence determined by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any value, zero included.</param>
    public SeededRandom(ulong seed)
    {
        // SplitMix64 spreads the seed over the 256-bit state and never yields the all-zero state from
        // four consecutive outputs.
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>The next 64 uniformly distributed random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1), a multiple of 2⁻⁵³.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal double (mean 0, variance 1), by Marsaglia's polar method.</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// The natural logarithm of a positive normal double from basic arithmetic only, to about 1e-16 relative:
    /// with x = m·2ᵉ and m in [√½, √2), ln x = e·ln 2 + 2·atanh(z), z = (m − 1)/(m + 1), |z| &lt; 0.172,
    /// summing the atanh series until its terms stop changing the sum.
    /// </summary>
    private static double Log(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        double mantissa = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
        if (mantissa > Math.Sqrt(2))
        {
            mantissa /= 2;
            exponent++;
        }
        double z = (mantissa - 1) / (mantissa + 1);
        double z2 = z * z;
        double term = z, series = 0, previous;
        int k = 1;
        do
        {
            previous = series;
            series += term / k;
            term *= z2;
            k += 2;
        }
        while (series != previous);
        return exponent * 0.69314718055994530942 + 2 * series;
    }
}
