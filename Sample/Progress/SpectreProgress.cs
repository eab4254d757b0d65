using System;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace UnrolledRnn.Sample.Progress;

/// <summary>A live Spectre.Console display: one bar per run with steps, steps per second, loss, gradient norm and time left.</summary>
public sealed class SpectreProgress : IProgressReporter
{
    private readonly ProgressContext _context;

    /// <summary>Reports into a running <see cref="Spectre.Console.Progress"/> display.</summary>
    public SpectreProgress(ProgressContext context) => _context = context;

    /// <summary>The progress display with the columns this reporter fills.</summary>
    public static Spectre.Console.Progress Create() =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    /// <inheritdoc/>
    public IRunProgress StartRun(string name, long total, string unit) =>
        new Run(_context.AddTask(Describe(name, 0, total, unit, 0, double.NaN, double.NaN), maxValue: total), name, total, unit);

    private static string Describe(string name, long done, long total, string unit, double perSecond, double loss, double gradientNorm) =>
        string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(name),-22}[/] {done,9:N0}/{total:N0} {unit}  {perSecond,8:N0} {unit}/s")
        + (double.IsNaN(loss) ? "" : string.Create(CultureInfo.InvariantCulture, $"  loss [yellow]{loss,7:F4}[/]  |g| {gradientNorm,6:F3}"));

    private sealed class Run : IRunProgress
    {
        private readonly ProgressTask _task;
        private readonly string _name, _unit;
        private readonly long _total;
        private readonly long _start = Stopwatch.GetTimestamp();

        public Run(ProgressTask task, string name, long total, string unit)
        {
            _task = task;
            _name = name;
            _total = total;
            _unit = unit;
        }

        public void Report(long stepsDone, double loss, double gradientNorm)
        {
            double seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
            _task.Description = Describe(_name, stepsDone, _total, _unit, stepsDone / Math.Max(seconds, 1e-9), loss, gradientNorm);
            _task.Value = stepsDone;
        }

        public void Complete() => _task.StopTask();
    }
}
