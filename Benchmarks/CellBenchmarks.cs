using BenchmarkDotNet.Attributes;
using UnrolledRnn.Benchmarks.Cells;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// The standard configurations (docs/performance.md): one TBPTT update and one streaming step of each cell, at hidden
/// 16 (the LSTM and GRU: the size amplifier models use), 32, 64 (the LSTM: where the fused loops' threshold lies) and 128 also with FastActivations (the "-fast" rows: the approximations the hand-written reference used). The
/// GFLOP/s and fraction of peak are worked out from these medians and <see cref="PeakFma"/> (see
/// <see cref="ResultTable"/>).
/// </summary>
/// <typeparam name="TCell">A generated cell: the configuration.</typeparam>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(LstmH16K32))]
[GenericTypeArguments(typeof(GruH16K32))]
[GenericTypeArguments(typeof(ElmanH32K32))]
[GenericTypeArguments(typeof(LstmH32K32))]
[GenericTypeArguments(typeof(GruH32K32))]
[GenericTypeArguments(typeof(LstmH64K32))]
[GenericTypeArguments(typeof(ElmanH128K32))]
[GenericTypeArguments(typeof(LstmH128K32))]
[GenericTypeArguments(typeof(GruH128K32))]
[GenericTypeArguments(typeof(ElmanH256K32))]
[GenericTypeArguments(typeof(LstmH256K32))]
[GenericTypeArguments(typeof(GruH256K32))]
[GenericTypeArguments(typeof(LstmH128K64))]
[GenericTypeArguments(typeof(LstmH16K32Fast))]
[GenericTypeArguments(typeof(GruH16K32Fast))]
[GenericTypeArguments(typeof(ElmanH32K32Fast))]
[GenericTypeArguments(typeof(LstmH32K32Fast))]
[GenericTypeArguments(typeof(GruH32K32Fast))]
[GenericTypeArguments(typeof(ElmanH128K32Fast))]
[GenericTypeArguments(typeof(LstmH128K32Fast))]
[GenericTypeArguments(typeof(GruH128K32Fast))]
public class CellBenchmarks<TCell> where TCell : class, IUnrolledCell<float>, new()
{
    private Workload _workload = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(new TCell());

        // The three operations share most of their code: warm all of them to tier 1 before the pilot, which otherwise
        // times an update of the larger cells at tier 0 (5 ms instead of 0.3) and runs 48 per 15 ms iteration.
        JitWarmup.UntilCompiled(() =>
        {
            _workload.Update();
            _workload.Step();
            _workload.StreamStep();
        });
    }

    /// <summary>Forward k2, MSE gradient, Backward k2, SGD step, zero gradients.</summary>
    [Benchmark]
    public float Update() => _workload.Update();

    /// <summary>One streaming step, cell and head.</summary>
    [Benchmark]
    public float Step() => _workload.Step();

    /// <summary>One step of a prepared inference stream (<c>PrepareInference().CreateStream()</c>), cell and head.</summary>
    [Benchmark]
    public float StreamStep() => _workload.StreamStep();
}
