using System;
using BenchmarkDotNet.Attributes;
using UnrolledRnn.Batching;
using UnrolledRnn.Benchmarks.Cells;
using UnrolledRnn.Training;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// The batched rows (docs/performance.md): one update of <see cref="Batch"/> streams through
/// <see cref="BatchedTrainer{TCell, T}"/> (each stream a window of k2 steps: Forward, MSE gradient, Backward, one SGD
/// step for the batch), on one and two threads, and one batched streaming step of <see cref="Batch"/> streams. Both are
/// reported per stream (OperationsPerInvoke = Batch), so they compare with the batch-1 rows of <see cref="CellBenchmarks{TCell}"/>.
/// </summary>
/// <typeparam name="TCell">A generated cell: the configuration.</typeparam>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(ElmanH32K32))]
[GenericTypeArguments(typeof(LstmH32K32))]
[GenericTypeArguments(typeof(GruH32K32))]
[GenericTypeArguments(typeof(ElmanH128K32))]
[GenericTypeArguments(typeof(LstmH128K32))]
[GenericTypeArguments(typeof(GruH128K32))]
[GenericTypeArguments(typeof(ElmanH256K32))]
[GenericTypeArguments(typeof(LstmH256K32))]
[GenericTypeArguments(typeof(GruH256K32))]
public class BatchedBenchmarks<TCell> where TCell : class, IBatchedCell<float>, new()
{
    /// <summary>The streams of a batch.</summary>
    public const int Batch = 64;

    private BatchedTrainer<TCell, float> _trainer = null!;
    private BatchedStreams<TCell, float> _streams = null!;
    private float[] _inputs = null!, _targets = null!, _negatedTargets = null!, _stepInputs = null!, _stepOutputs = null!;
    private bool _negateTargets;

    /// <summary>Threads running the chunks of the batch (two chunks of 32 streams).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var cell = new TCell();
        cell.InitializeParameters(1);
        _trainer = new BatchedTrainer<TCell, float>(cell, new MeanSquaredError<float>(), new Sgd<float>(Workload.LearningRate), Batch,
            new BatchedTrainerOptions { Threads = Threads, StreamsPerChunk = 32 });
        _streams = new BatchedStreams<TCell, float>(cell, Batch);
        var random = new Random(1);
        _inputs = RandomArray(random, Batch * cell.TruncationLength * cell.InputSize);
        _targets = RandomArray(random, Batch * cell.TruncationLength * cell.OutputSize);
        _negatedTargets = Array.ConvertAll(_targets, t => -t);
        _stepInputs = RandomArray(random, Batch * cell.InputSize);
        _stepOutputs = new float[Batch * cell.OutputSize];

        // Both operations share most of their code (the element-wise kernels, the products): warm both to tier 1.
        JitWarmup.UntilCompiled(() => Update());
        JitWarmup.UntilCompiled(() => Step());
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    /// <summary>One update of every stream, per stream. The targets change sign every update, as in <see cref="Workload.Update"/>.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public bool Update() => _trainer.Update(_inputs, (_negateTargets = !_negateTargets) ? _negatedTargets : _targets);

    /// <summary>One streaming step of every stream (one thread whatever <see cref="Threads"/>), per stream.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public float Step()
    {
        _streams.Step(_stepInputs, _stepOutputs);
        return _stepOutputs[0];
    }

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
