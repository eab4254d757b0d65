using System;
using System.Collections.Generic;
using System.Globalization;

namespace UnrolledRnn.Sample.Plots;

/// <summary>A linear or logarithmic axis: maps values to pixels and chooses round ticks.</summary>
public sealed class Axis
{
    private Axis(double min, double max, bool logarithmic)
    {
        Min = min;
        Max = max;
        Logarithmic = logarithmic;
    }

    /// <summary>The value at the start of the axis.</summary>
    public double Min { get; }

    /// <summary>The value at the end of the axis.</summary>
    public double Max { get; }

    /// <summary>Whether values are placed by their logarithm.</summary>
    public bool Logarithmic { get; }

    /// <summary>A linear axis covering [min, max], widened to round ticks.</summary>
    public static Axis Linear(double min, double max, bool padToTicks = true)
    {
        if (!(max > min))
        {
            (min, max) = (min - 1, max + 1);
        }

        if (padToTicks)
        {
            double step = NiceStep((max - min) / 5);
            min = Math.Floor(min / step + 1e-9) * step;
            max = Math.Ceiling(max / step - 1e-9) * step;
        }

        return new Axis(min, max, logarithmic: false);
    }

    /// <summary>A logarithmic axis covering [min, max] (both positive), widened to whole decades.</summary>
    public static Axis Log(double min, double max)
    {
        min = Math.Pow(10, Math.Floor(Math.Log10(min)));
        max = Math.Pow(10, Math.Ceiling(Math.Log10(max)));
        if (max <= min) max = min * 10;
        return new Axis(min, max, logarithmic: true);
    }

    /// <summary>Where a value falls between <paramref name="start"/> (at Min) and <paramref name="end"/> (at Max), in pixels.</summary>
    public double Map(double value, double start, double end)
    {
        double fraction = Logarithmic
            ? (Math.Log10(Math.Max(value, Min * 1e-3)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
        return start + fraction * (end - start);
    }

    /// <summary>The tick values: round steps on a linear axis; 1, 2, 5 per decade on a log axis (1 only beyond three decades).</summary>
    public List<double> Ticks()
    {
        var ticks = new List<double>();
        if (Logarithmic)
        {
            int decades = (int)Math.Round(Math.Log10(Max / Min));
            double[] multiples = decades <= 3 ? new[] { 1.0, 2.0, 5.0 } : new[] { 1.0 };
            for (double decade = Min; decade <= Max * 1.0001; decade *= 10)
            {
                foreach (double multiple in multiples)
                {
                    double tick = decade * multiple;
                    if (tick <= Max * 1.0001) ticks.Add(tick);
                }
            }
        }
        else
        {
            double step = NiceStep((Max - Min) / 5);
            for (double tick = Math.Ceiling(Min / step - 1e-9) * step; tick <= Max + step * 1e-9; tick += step)
            {
                ticks.Add(Math.Abs(tick) < step * 1e-9 ? 0 : tick);
            }
        }

        return ticks;
    }

    /// <summary>A tick's label: short, invariant, with thousands as "k", millions as "M", billions as "G".</summary>
    public static string Format(double value)
    {
        double magnitude = Math.Abs(value);
        if (magnitude >= 1e9 && magnitude % 1e8 == 0) return (value / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G";
        if (magnitude >= 1e6 && magnitude % 1e5 == 0) return (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M";
        if (magnitude >= 1e3 && magnitude % 100 == 0) return (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k";
        if (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.ToString("0.#e0", CultureInfo.InvariantCulture);
        return value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    /// <summary>1, 2 or 5 times a power of ten, the nearest at or above <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double mantissa = rough / power;
        return (mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10) * power;
    }
}
