namespace UnrolledRnn.Checkpoints;

/// <summary>How strict a load is. The default rejects anything but an exact match.</summary>
public sealed record CheckpointLoadOptions
{
    /// <summary>The defaults: unexpected tensors and F64 into float both rejected.</summary>
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
}
