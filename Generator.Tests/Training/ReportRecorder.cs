using System.Collections.Generic;
using System.Numerics;
using UnrolledRnn.Training;

namespace UnrolledRnn.Tests.Training;

/// <summary>Keeps every update's report (its <c>StateAdjointNorms</c> view the trainer's buffer: only the last one's stay valid).</summary>
internal sealed class ReportRecorder<T> : ITrainingMonitor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public List<UpdateReport<T>> Reports { get; } = new();

    public void OnUpdate(in UpdateReport<T> report) => Reports.Add(report);
}
