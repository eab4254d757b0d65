namespace UnrolledRnn.Sample.CommandLine;

/// <summary>The sample's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Everything ran and every plot was written.</summary>
    public const int Success = 0;

    /// <summary>The output folder, or a plot in it, cannot be written (checked before training, reported again if it fails after).</summary>
    public const int CannotWrite = 1;

    /// <summary>A usage error: an unknown option, a value of the wrong kind or out of range. Nothing ran.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Everything ran, but the memory task trained on many streams at once ended clearly worse than trained on one
    /// stream (<see cref="Experiments.BatchedMemoryRun.Matches"/>); the results and plots were still printed and written.
    /// </summary>
    public const int BatchedRunWorse = 3;
}
