namespace UnrolledRnn.Checkpoints;

/// <summary>How strict a load is. The default rejects anything but an exact match of finite values.</summary>
public sealed record CheckpointLoadOptions
{
    /// <summary>The defaults: every check made, every option false.</summary>
    public static CheckpointLoadOptions Default { get; } = new();

    /// <summary>
    /// Whether tensors the cell (or optimizer) does not expect are ignored rather than rejected, as PyTorch's
    /// <c>load_state_dict(strict=False)</c> ignores them (missing tensors are always rejected).
    /// </summary>
    public bool AllowUnexpectedTensors { get; init; }

    /// <summary>
    /// Whether an F64 tensor may be loaded into a float cell, each value rounded to the nearest float (a finite
    /// value too large for float is still rejected). F32 into a double cell is always allowed: it is exact.
    /// </summary>
    public bool AllowPrecisionLoss { get; init; }

    /// <summary>
    /// Whether a file that records another cell type (metadata <see cref="Checkpoint.CellTypeKey"/>, written by
    /// <see cref="Checkpoint"/> and <see cref="OptimizerCheckpoint"/>) may be loaded, provided its tensors fit:
    /// for instance into a cell renamed since, or into the double twin of the float cell that saved it. A file
    /// without the record (PyTorch's, or any other tool's) is never checked.
    /// </summary>
    public bool AllowOtherCellType { get; init; }

    /// <summary>
    /// Whether tensors holding NaN or an infinity may be loaded (to inspect a diverged run, say). By default the
    /// first such value is rejected, naming the tensor and the element, and nothing is loaded.
    /// </summary>
    public bool AllowNonFiniteValues { get; init; }
}
