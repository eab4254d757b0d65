using System.Numerics;

namespace UnrolledRnn.Training;

/// <summary>
/// Receives the report of every update as it is made, including the updates made inside one
/// <see cref="TbpttTrainer{TCell, T}.Run(System.ReadOnlySpan{T}, System.ReadOnlySpan{T}, System.Span{T})"/> call.
/// One interface call per update.
/// </summary>
/// <typeparam name="T">The element type of the cell.</typeparam>
public interface ITrainingMonitor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Called after each update, applied or skipped; the report's norms are valid during the call.</summary>
    /// <param name="report">What the update did and measured.</param>
    void OnUpdate(in UpdateReport<T> report);
}
