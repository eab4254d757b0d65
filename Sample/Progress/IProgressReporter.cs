namespace UnrolledRnn.Sample.Progress;

/// <summary>Where a training run reports its progress: a live display, plain log lines, or nowhere.</summary>
public interface IProgressReporter
{
    /// <summary>Announces a run of <paramref name="total"/> units of work ("steps" of training, "configurations" timed).</summary>
    /// <returns>The handle the run reports through.</returns>
    IRunProgress StartRun(string name, long total, string unit);
}

/// <summary>The progress of one training run.</summary>
public interface IRunProgress
{
    /// <summary>Reports the units done so far, the latest loss per step and gradient norm (NaN for a run that trains nothing: not shown).</summary>
    void Report(long stepsDone, double loss, double gradientNorm);

    /// <summary>The run is over.</summary>
    void Complete();
}

/// <summary>Reports nothing: for tests and for callers that only want the results.</summary>
public sealed class SilentProgress : IProgressReporter, IRunProgress
{
    /// <summary>The one instance.</summary>
    public static readonly SilentProgress Instance = new();

    /// <inheritdoc/>
    public IRunProgress StartRun(string name, long total, string unit) => this;

    /// <inheritdoc/>
    public void Report(long stepsDone, double loss, double gradientNorm)
    {
    }

    /// <inheritdoc/>
    public void Complete()
    {
    }
}
