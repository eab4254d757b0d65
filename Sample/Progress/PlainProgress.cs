using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace UnrolledRnn.Sample.Progress;

/// <summary>Plain log lines, for redirected output (CI, logs): a line per run about every 20 % of its steps.</summary>
public sealed class PlainProgress : IProgressReporter
{
    private readonly TextWriter _writer;

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    public PlainProgress(TextWriter writer) => _writer = writer;

    /// <inheritdoc/>
    public IRunProgress StartRun(string name, long total, string unit)
    {
        _writer.WriteLine($"{name}: {total:N0} {unit}");
        return new Run(_writer, name, total, unit);
    }

    private sealed class Run : IRunProgress
    {
        private readonly TextWriter _writer;
        private readonly string _name, _unit;
        private readonly long _total;
        private readonly long _start = Stopwatch.GetTimestamp();
        private int _nextFifth = 1;

        public Run(TextWriter writer, string name, long total, string unit)
        {
            _writer = writer;
            _name = name;
            _total = total;
            _unit = unit;
        }

        public void Report(long stepsDone, double loss, double gradientNorm)
        {
            if (stepsDone * 5 < _total * _nextFifth) return;
            _nextFifth = (int)(stepsDone * 5 / _total) + 1;
            double seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
            double rate = stepsDone / Math.Max(seconds, 1e-9);
            double left = (_total - stepsDone) / Math.Max(rate, 1e-9);
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {_name}: {stepsDone,9:N0}/{_total:N0} {_unit}, {rate:N0} {_unit}/s, {TrainingFigures(loss, gradientNorm)}{left:F0} s left"));
        }

        private static string TrainingFigures(double loss, double gradientNorm) =>
            double.IsNaN(loss) ? "" : string.Create(CultureInfo.InvariantCulture, $"loss {loss:F4}, gradient norm {gradientNorm:F3}, ");

        public void Complete()
        {
        }
    }
}
