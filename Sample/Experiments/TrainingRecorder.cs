using System;
using System.Collections.Generic;
using UnrolledRnn.Training;

namespace UnrolledRnn.Sample.Experiments;

/// <summary>
/// Collects what the trainer reports at every update: the mean loss per step and the gradient norm, averaged
/// over blocks of updates (the points of the loss curve), and the mean adjoint norm of the state by steps back.
/// Reports of the batched trainer, whose loss is the mean over its B streams of each stream's summed loss and whose
/// steps are each stream's, are read as the mean loss per stream step at the steps summed over the streams.
/// </summary>
public sealed class TrainingRecorder : ITrainingMonitor<float>
{
    private readonly int _updatesPerPoint;
    private readonly int _streams;
    private readonly double[] _adjointNormSums;
    private double _blockLoss, _blockGradientNorm;
    private int _blockUpdates;
    private long _adjointNormUpdates;

    /// <summary>Creates a recorder.</summary>
    /// <param name="truncationLength">k2: the number of adjoint norms per update.</param>
    /// <param name="updatesPerPoint">How many updates each point of the loss curve averages.</param>
    /// <param name="adjointNormsFromUpdate">The update from which adjoint norms are averaged (late in training: the trained network's picture).</param>
    /// <param name="streams">The streams every update trains: 1 for <c>TbpttTrainer</c>, B for <c>BatchedTrainer</c>.</param>
    public TrainingRecorder(int truncationLength, int updatesPerPoint, long adjointNormsFromUpdate, int streams = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        _updatesPerPoint = Math.Max(1, updatesPerPoint);
        _streams = streams;
        _adjointNormSums = new double[truncationLength];
        AdjointNormsFromUpdate = adjointNormsFromUpdate;
    }

    /// <summary>The update from which adjoint norms are averaged.</summary>
    public long AdjointNormsFromUpdate { get; }

    /// <summary>The loss curve: (step, summed over the streams; mean loss per stream step over the block of updates ending there).</summary>
    public List<(double Step, double Loss)> LossCurve { get; } = new();

    /// <summary>The mean loss per step of the latest update.</summary>
    public double LatestLoss { get; private set; } = double.NaN;

    /// <summary>The gradient norm (before clipping) of the latest block of updates.</summary>
    public double LatestGradientNorm { get; private set; } = double.NaN;

    /// <summary>The number of updates skipped because a loss or a gradient was not finite.</summary>
    public int SkippedUpdates { get; private set; }

    /// <inheritdoc/>
    public void OnUpdate(in UpdateReport<float> report)
    {
        if (!report.Applied)
        {
            SkippedUpdates++;
            return;
        }

        // Loss is the mean over the streams of their summed losses; LossSteps counts the steps of every stream.
        double loss = report.LossSteps == 0 ? 0 : report.Loss * _streams / report.LossSteps;
        LatestLoss = loss;
        _blockLoss += loss;
        _blockGradientNorm += report.GradientNorm;
        if (++_blockUpdates == _updatesPerPoint)
        {
            LossCurve.Add((report.StepIndex * _streams, _blockLoss / _blockUpdates));
            LatestGradientNorm = _blockGradientNorm / _blockUpdates;
            _blockLoss = _blockGradientNorm = 0;
            _blockUpdates = 0;
        }

        if (report.UpdateIndex >= AdjointNormsFromUpdate)
        {
            ReadOnlySpan<float> norms = report.StateAdjointNorms.Span;
            for (int k = 0; k < norms.Length; k++)
            {
                _adjointNormSums[k] += norms[k];
            }

            _adjointNormUpdates++;
        }
    }

    /// <summary>The mean norm of dL/ds for the state k steps before the end of the window, k = 0 … k2-1.</summary>
    public double[] MeanAdjointNorms()
    {
        var means = new double[_adjointNormSums.Length];
        for (int k = 0; k < means.Length; k++)
        {
            means[k] = _adjointNormUpdates == 0 ? double.NaN : _adjointNormSums[k] / _adjointNormUpdates;
        }

        return means;
    }
}
