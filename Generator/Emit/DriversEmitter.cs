using System.Collections.Generic;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes Step, Forward and Backward. Forward and Backward are the unrolled time loop: straight-line code,
/// one call of the step method per time step with constant offsets into the tape. One step method called
/// k2 times keeps every method small enough for the JIT to optimise fully (docs/design.md).
/// </summary>
internal static class DriversEmitter
{
    private const string Guard = "global::UnrolledRnn.SpanGuard.RequireLength";

    /// <summary>The body of every driver while the equations have errors: it is never run, as the build fails.</summary>
    internal const string NotGenerated =
        "throw new global::System.InvalidOperationException(\"The equations of this cell have errors (see the URNN diagnostics); nothing was generated.\");";

    /// <summary>The remarks of Step and Forward: a cell is not thread-safe.</summary>
    private static string NotThreadSafe(string updates) =>
        $"/// <remarks>Not thread-safe: it updates {updates} of the instance, so two threads calling it at once corrupt each other's results. To run several streams, give each its own instance.</remarks>";

    public static void Emit(SourceWriter w, CellGraph graph, IReadOnlyList<WindowOuterProduct> windowProducts, IReadOnlyList<WindowSum> windowSums)
    {
        if (graph.Model.EquationsValid)
        {
            w.Line("/// <summary>Set by Forward once it has recorded a window; cleared by InitializeParameters, as the window belongs to the former parameters.</summary>");
            w.Line($"private bool {GeneratedNames.WindowRecorded};");
            w.Line();
        }

        EmitStep(w, graph);
        w.Line();
        EmitForward(w, graph);
        w.Line();
        EmitBackward(w, graph, windowProducts, windowSums);
    }

    /// <summary>The length checks of a one-step method's <c>input</c> and <c>output</c>.</summary>
    internal static void WriteStepArgumentChecks(SourceWriter w)
    {
        w.Line($"{Guard}(input.Length, InputSize, nameof(input), \"InputSize\");");
        w.Line($"{Guard}(output.Length, OutputSize, nameof(output), \"OutputSize\");");
    }

    /// <summary>Copies the outputs of the step just written into the local <c>frame</c> to <c>output</c>.</summary>
    internal static void WriteStepOutputs(SourceWriter w, CellGraph graph)
    {
        foreach (var output in graph.Outputs)
        {
            w.Line($"frame.Slice({graph.ValueOf(output.Name).FrameOffset}, {output.Length}).CopyTo(output.Slice({graph.OutputOffset(output.Name)}, {output.Length}));");
        }
    }

    private static void EmitStep(SourceWriter w, CellGraph graph)
    {
        string t = CSharp.Keyword(graph.Model.Precision);
        w.Line("/// <summary>One streaming step from the carried state, recording nothing: for inference.</summary>");
        w.Line("/// <param name=\"input\">x_t: InputSize elements.</param>");
        w.Line("/// <param name=\"output\">Receives y_t: OutputSize elements.</param>");
        w.Line(NotThreadSafe("the carried state"));
        w.Line(CSharp.GeneratedCode);
        w.Line(CSharp.HotPath);
        w.Open($"public void Step({CSharp.ReadOnlySpan}<{t}> input, {CSharp.Span}<{t}> output)");
        if (!graph.Model.EquationsValid)
        {
            w.Line(NotGenerated);
            w.Close();
            return;
        }

        WriteStepArgumentChecks(w);
        w.Line("var frame = _stepFrame.Span;");
        w.Line($"{StepsEmitter.QualifiedName(graph)}.ForwardStep(_parameters.Span, input, _state.Span, frame);");
        if (graph.StateSize > 0)
        {
            w.Line("frame.Slice(0, StateSize).CopyTo(_state.Span);");
        }

        WriteStepOutputs(w, graph);

        w.Close();
    }

    private static void EmitForward(SourceWriter w, CellGraph graph)
    {
        string t = CSharp.Keyword(graph.Model.Precision);
        int k2 = graph.Model.TruncationLength, inputSize = graph.InputSize, outputSize = graph.OutputSize, stateSize = graph.StateSize;
        string steps = StepsEmitter.QualifiedName(graph);
        w.Line("/// <summary>");
        w.Line("/// Runs the k2 steps of a window from the carried state, recording what Backward needs, and carries the");
        w.Line("/// final state into the next window.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"inputs\">x_0 ... x_{k2-1}: TruncationLength x InputSize elements, step after step.</param>");
        w.Line("/// <param name=\"outputs\">Receives y_0 ... y_{k2-1}: TruncationLength x OutputSize elements.</param>");
        w.Line(NotThreadSafe("the carried state and the recorded window"));
        w.Line(CSharp.GeneratedCode);
        w.Line(CSharp.HotPath);
        w.Open($"public void Forward({CSharp.ReadOnlySpan}<{t}> inputs, {CSharp.Span}<{t}> outputs)");
        if (!graph.Model.EquationsValid)
        {
            w.Line(NotGenerated);
            w.Close();
            return;
        }

        w.Line($"{Guard}(inputs.Length, TruncationLength * InputSize, nameof(inputs), \"TruncationLength x InputSize\");");
        w.Line($"{Guard}(outputs.Length, TruncationLength * OutputSize, nameof(outputs), \"TruncationLength x OutputSize\");");
        w.Line("var parameters = _parameters.Span;");
        w.Line("var recordedInputs = _recordedInputs.Span;");
        w.Line("inputs.CopyTo(recordedInputs);");
        w.Line("var tape = _tape.Span;");
        w.Line("_state.Span.CopyTo(tape); // s_{-1}: the carried state");
        for (int step = 0; step < k2; step++)
        {
            w.Line($"// t = {step}");
            w.Line($"{steps}.ForwardStep(parameters, recordedInputs.Slice({step * inputSize}, {inputSize}), tape.Slice({PreviousOffset(graph, step)}, {stateSize}), tape.Slice({FrameOffset(graph, step)}, FrameSize));");
            foreach (var output in graph.Outputs)
            {
                w.Line($"tape.Slice({FrameOffset(graph, step) + graph.ValueOf(output.Name).FrameOffset}, {output.Length}).CopyTo(outputs.Slice({step * outputSize + graph.OutputOffset(output.Name)}, {output.Length}));");
            }
        }

        if (stateSize > 0)
        {
            w.Line("// Carry s_{k2-1} into the next window.");
            w.Line($"tape.Slice({FrameOffset(graph, k2 - 1)}, StateSize).CopyTo(_state.Span);");
        }

        w.Line($"{GeneratedNames.WindowRecorded} = true;");
        w.Close();
    }

    private static void EmitBackward(SourceWriter w, CellGraph graph, IReadOnlyList<WindowOuterProduct> windowProducts, IReadOnlyList<WindowSum> windowSums)
    {
        string t = CSharp.Keyword(graph.Model.Precision);
        int k2 = graph.Model.TruncationLength, inputSize = graph.InputSize, outputSize = graph.OutputSize, stateSize = graph.StateSize;
        string steps = StepsEmitter.QualifiedName(graph);
        w.Line("/// <summary>");
        w.Line("/// Backpropagates through the k2 steps of the last Forward, from t = k2-1 down to 0, and adds every parameter's");
        w.Line("/// gradient to Gradients. The state entering the window is a constant: the gradient stops there.");
        w.Line("/// Step and ResetState leave the recorded window as it is, and each further Backward of the same window adds its");
        w.Line("/// gradients again.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"outputGradients\">dL/dy_t for every step: TruncationLength x OutputSize elements.</param>");
        w.Line("/// <param name=\"finalStateGradient\">dL/ds_{k2-1} (StateSize elements), or empty for zero.</param>");
        w.Line("/// <param name=\"initialStateGradient\">Receives dL/ds_{-1}: StateSize elements.</param>");
        w.Line("/// <param name=\"stateAdjointNorms\">Receives k2 norms: element k is ||dL/ds_{k2-1-k}||, k steps back from the end.</param>");
        w.Line("/// <exception cref=\"global::System.InvalidOperationException\">No Forward has recorded a window since the cell was created or InitializeParameters was called.</exception>");
        w.Line(CSharp.GeneratedCode);
        w.Line(CSharp.HotPath);
        w.Open($"public void Backward({CSharp.ReadOnlySpan}<{t}> outputGradients, {CSharp.ReadOnlySpan}<{t}> finalStateGradient, {CSharp.Span}<{t}> initialStateGradient, {CSharp.Span}<{t}> stateAdjointNorms)");
        if (!graph.Model.EquationsValid)
        {
            w.Line(NotGenerated);
            w.Close();
            return;
        }

        w.Open($"if (!{GeneratedNames.WindowRecorded})");
        w.Line($"throw new global::System.InvalidOperationException(\"Backward of the cell '{graph.Model.TypeName}' needs the window recorded by Forward, and no Forward has run since the cell was created or its parameters were initialised; call Forward first.\");");
        w.Close();
        w.Line($"{Guard}(outputGradients.Length, TruncationLength * OutputSize, nameof(outputGradients), \"TruncationLength x OutputSize\");");
        w.Open("if (!finalStateGradient.IsEmpty)");
        w.Line($"{Guard}(finalStateGradient.Length, StateSize, nameof(finalStateGradient), \"StateSize, or empty\");");
        w.Close();
        w.Line($"{Guard}(initialStateGradient.Length, StateSize, nameof(initialStateGradient), \"StateSize\");");
        w.Line($"{Guard}(stateAdjointNorms.Length, TruncationLength, nameof(stateAdjointNorms), \"TruncationLength\");");
        w.Line("var parameters = _parameters.Span;");
        w.Line("var gradients = _gradients.Span;");
        w.Line("var recordedInputs = _recordedInputs.Span;");
        w.Line("var tape = _tape.Span;");
        w.Line("var adjointTape = _adjointTape.Span;");
        w.Line("// dL/ds_{k2-1}: from the caller, or zero.");
        w.Open("if (finalStateGradient.IsEmpty)");
        w.Line($"adjointTape.Slice({FrameOffset(graph, k2 - 1)}, StateSize).Clear();");
        w.Close();
        w.Open("else");
        w.Line($"finalStateGradient.CopyTo(adjointTape.Slice({FrameOffset(graph, k2 - 1)}, StateSize));");
        w.Close();

        for (int step = k2 - 1; step >= 0; step--)
        {
            w.Line($"// t = {step}");
            w.Line($"stateAdjointNorms[{k2 - 1 - step}] = {t}.Sqrt({steps}.BackwardStep(parameters, gradients, recordedInputs.Slice({step * inputSize}, {inputSize}), tape.Slice({PreviousOffset(graph, step)}, 2 * FrameSize), outputGradients.Slice({step * outputSize}, {outputSize}), adjointTape.Slice({PreviousOffset(graph, step)}, 2 * FrameSize)));");
        }

        foreach (var product in windowProducts)
        {
            var matrix = product.Matrix;
            string operands = product.OperandBuffer == WindowBuffer.Tape ? "tape" : "recordedInputs";
            string adjoints = $"adjointTape.Slice({product.AdjointOffset}), FrameSize", values = $"{operands}.Slice({product.OperandOffset}), {product.OperandStride}";
            w.Line($"// {AdjointMath.OuterProductText(graph, product)}, summed over every t of the window: one matrix product");
            w.Line($"{CSharp.MatrixVector}.AddOuterProducts<{t}>(gradients.Slice({graph.ParameterOffset(matrix.Name)}, {matrix.Length}), {matrix.Rows}, {matrix.Columns}, TruncationLength, {(product.Transposed ? values : adjoints)}, {(product.Transposed ? adjoints : values)});");
        }

        foreach (var sum in windowSums)
        {
            var vector = sum.Vector;
            w.Line($"// {AdjointMath.SumText(sum)}, summed over every t of the window: one kernel call");
            w.Line($"{CSharp.MatrixVector}.AddSums<{t}>(gradients.Slice({graph.ParameterOffset(vector.Name)}, {vector.Length}), TruncationLength, adjointTape.Slice({sum.AdjointOffset}), FrameSize);");
        }

        w.Line("// dL/ds_{-1}: the gradient with respect to the state that entered the window.");
        w.Line("adjointTape.Slice(0, StateSize).CopyTo(initialStateGradient);");
        w.Close();
    }

    /// <summary>Where the frame of step t starts in the tape (and its adjoints in the adjoint tape).</summary>
    private static int FrameOffset(CellGraph graph, int step) => graph.TapeStart + step * graph.FrameSize;

    /// <summary>Where s_{t-1} starts: the state part of the frame before, s_{-1} at 0.</summary>
    private static int PreviousOffset(CellGraph graph, int step) => step * graph.FrameSize;
}
