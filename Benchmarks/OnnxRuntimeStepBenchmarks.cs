using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using UnrolledRnn.Benchmarks.Cells;
using UnrolledRnn.Onnx;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// The latency a user who deploys through ONNX pays: ONNX Runtime (CPU, one intra-op thread) running the exported step
/// model of an LSTM, against the cell's own <c>Step</c>, in the same run (docs/performance.md, docs/deploy.md). The
/// model's inputs and outputs are bound once (<see cref="OrtIoBinding"/> over preallocated <see cref="OrtValue"/>s):
/// two bindings alternate, each reading the state the other wrote, so a call copies no state and creates no value.
/// </summary>
/// <typeparam name="TCell">The exported cell: LSTM, In = 16, Out = 4, H = 32 or 128.</typeparam>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(LstmH32K32))]
[GenericTypeArguments(typeof(LstmH128K32))]
public class OnnxRuntimeStepBenchmarks<TCell> where TCell : class, IUnrolledCell<float>, new()
{
    private readonly TCell _cell = new();
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue[] _values = [];
    private float[] _x = [];
    private float[] _y = [];
    private float[][] _outputs = [];
    private int _turn;

    [GlobalSetup]
    public void Setup()
    {
        _cell.InitializeParameters(1);
        var random = new Random(1);
        _x = new float[_cell.InputSize];
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)(2 * random.NextDouble() - 1);
        }

        _y = new float[_cell.OutputSize];
        string directory = Directory.CreateTempSubdirectory("onnx-bench").FullName;
        string model = _cell.ExportOnnx(Path.Combine(directory, "lstm.onnx"), OnnxExport.Step)[0];
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(model, options);
        Directory.Delete(directory, recursive: true);
        _runOptions = new RunOptions();

        // Two sets of state buffers, [h, c] each; binding k reads set k and writes set 1 - k.
        int hidden = _cell.StateSize / 2;
        var states = new[] { new[] { new float[hidden], new float[hidden] }, new[] { new float[hidden], new float[hidden] } };
        var x = OrtValue.CreateTensorValueFromMemory(_x, [1L, _x.Length]);
        var y = OrtValue.CreateTensorValueFromMemory(_y, [1L, _y.Length]);
        var state = new OrtValue[2, 2];
        for (int set = 0; set < 2; set++)
        {
            for (int part = 0; part < 2; part++)
            {
                state[set, part] = OrtValue.CreateTensorValueFromMemory(states[set][part], new long[] { 1, hidden });
            }
        }

        for (int k = 0; k < 2; k++)
        {
            var binding = _session.CreateIoBinding();
            binding.BindInput("h_prev", state[k, 0]);
            binding.BindInput("c_prev", state[k, 1]);
            binding.BindInput("x", x);
            binding.BindOutput("h", state[1 - k, 0]);
            binding.BindOutput("c", state[1 - k, 1]);
            binding.BindOutput("y", y);
            _bindings[k] = binding;
        }

        _values = [x, y, state[0, 0], state[0, 1], state[1, 0], state[1, 1]];
        _outputs = [states[0][0], states[1][0]];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var binding in _bindings)
        {
            binding.Dispose();
        }

        foreach (var value in _values)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>One streaming step of the cell's own Step.</summary>
    [Benchmark(Baseline = true)]
    public float Step()
    {
        _cell.Step(_x, _y);
        return _y[0];
    }

    /// <summary>One streaming step of the exported model in ONNX Runtime, state carried by the alternating bindings.</summary>
    [Benchmark]
    public float OnnxRuntimeStep()
    {
        _session.RunWithBinding(_runOptions, _bindings[_turn]);
        _turn = 1 - _turn;
        return _y[0] + _outputs[_turn][0];
    }
}
