using System;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// Runs every generated method (the batched ones too) of the LSTM H=128 at k2 = 16, 32, 64 and 512 (the largest k2 the generator accepts), so that the JIT compiles them.
/// Run it with DOTNET_TieredCompilation=0, DOTNET_JitStdOutFile=file and DOTNET_JitDisasmSummary=1: each
/// method is then compiled once, fully optimised unless it exceeds the JIT's limits, and the file lists
/// every method with the optimisation level it got (see docs/design.md).
/// </summary>
internal static class JitCheck
{
    public static void Run()
    {
        Exercise(new Cells.LstmH128K16());
        Exercise(new Cells.LstmH128K32());
        Exercise(new Cells.LstmH128K64());
        Exercise(new Cells.LstmH128K512());
        Console.WriteLine("jit-check: ran Forward, Backward, Step, a prepared inference stream's Step and the batched forms of LstmH128K16, LstmH128K32, LstmH128K64 and LstmH128K512.");
    }

    private static void Exercise(IUnrolledCell<float> cell)
    {
        cell.InitializeParameters(1);
        var inputs = new float[cell.TruncationLength * cell.InputSize];
        var outputs = new float[cell.TruncationLength * cell.OutputSize];
        var initialStateGradient = new float[cell.StateSize];
        var norms = new float[cell.TruncationLength];
        cell.Forward(inputs, outputs);
        cell.Backward(outputs, default, initialStateGradient, norms);
        cell.Step(inputs.AsSpan(0, cell.InputSize), outputs.AsSpan(0, cell.OutputSize));
        ((Inference.IInferenceCell<float>)cell).PrepareInference().CreateStream()
            .Step(inputs.AsSpan(0, cell.InputSize), outputs.AsSpan(0, cell.OutputSize));

        var batched = (Batching.IBatchedCell<float>)cell;
        var workspace = new Batching.BatchWorkspace<float>(batched, 4);
        batched.ForwardBatch(workspace, 4);
        batched.BackwardBatch(workspace, 4);
        batched.StepBatch(workspace, 4);
    }
}
