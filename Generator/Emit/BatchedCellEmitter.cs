using System.Collections.Generic;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the batched half of a cell: a second part of the user's class implementing <c>IBatchedCell</c> (a window
/// forward and backward, and a streaming step, over B streams whose values live in a caller's
/// <c>BatchWorkspace</c>), then the batched step class. The drivers are loops over t: unlike the single-stream
/// ones, their offsets depend on B, so unrolling would make nothing constant.
/// </summary>
internal static class BatchedCellEmitter
{
    private const string Interface = "global::UnrolledRnn.Batching.IBatchedCell";

    public static void Emit(SourceWriter w, CellGraph graph, AdjointPlan plan)
    {
        string t = CSharp.Keyword(graph.Model.Precision);
        string cell = $"{Interface}<{t}>";
        string workspace = $"global::UnrolledRnn.Batching.BatchWorkspace<{t}>";
        CellEmitter.OpenContainers(w, graph.Model);
        w.Line($"/// <summary>The batched half of <c>{CellEmitter.Escape(graph.Model.TypeName)}</c>: many streams in lockstep, their values in a caller's workspace.</summary>");
        w.Open($"partial class {CSharp.Identifier(graph.Model.TypeName)} : {cell}");
        w.Line($"int {cell}.FrameSize => FrameSize;");
        w.Line($"int {cell}.VectorParameterSize => {BatchedLayout.VectorParameterSize(graph)};");
        w.Line();
        EmitForward(w, graph, cell, workspace);
        w.Line();
        EmitBackward(w, graph, plan.WindowProducts, cell, workspace);
        w.Line();
        EmitStep(w, graph, cell, workspace);
        w.Line();
        EmitBroadcast(w, graph, workspace);
        w.Close();
        CellEmitter.CloseContainers(w, graph.Model);
        w.Line();
        BatchedStepsEmitter.Emit(w, graph, plan);
    }

    private static void EmitForward(SourceWriter w, CellGraph graph, string cell, string workspace)
    {
        string steps = BatchedStepsEmitter.QualifiedName(graph);
        w.Line("/// <inheritdoc/>");
        w.Line(CSharp.GeneratedCode);
        w.Line(CSharp.HotPath);
        w.Open($"void {cell}.ForwardBatch({workspace} workspace, int batch)");
        Prologue(w);
        w.Line("var parameters = _parameters.Span;");
        w.Line("var broadcast = BroadcastVectorParameters(workspace, batch);");
        w.Line("var inputs = workspace.Inputs;");
        w.Line("var outputs = workspace.Outputs;");
        w.Line("var tape = workspace.Tape;");
        w.Line("int frame = FrameSize * batch;");
        w.Line("// The tape starts with s_{-1} of every stream; frame t starts at (t + 1) x FrameSize x batch.");
        w.Open("for (int t = 0; t < TruncationLength; t++)");
        w.Line($"{steps}.ForwardStep(parameters, broadcast, inputs.Slice(t * InputSize * batch, InputSize * batch), tape.Slice(t * frame, StateSize * batch), tape.Slice((t + 1) * frame, frame), batch);");
        CopyOutputs(w, graph, "(t + 1) * frame", "t * OutputSize * batch");
        w.Close();
        w.Line("workspace.RecordWindow(batch);");
        w.Close();
    }

    private static void EmitBackward(SourceWriter w, CellGraph graph, IReadOnlyList<WindowOuterProduct> windowProducts, string cell, string workspace)
    {
        string t = CSharp.Keyword(graph.Model.Precision);
        string steps = BatchedStepsEmitter.QualifiedName(graph);
        w.Line("/// <inheritdoc/>");
        w.Line(CSharp.GeneratedCode);
        w.Line(CSharp.HotPath);
        w.Open($"void {cell}.BackwardBatch({workspace} workspace, int batch)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(workspace);");
        w.Line("workspace.RequireWindow(this, batch);");
        w.Line("var parameters = _parameters.Span;");
        w.Line("var broadcast = workspace.Broadcast;");
        w.Line("var gradients = workspace.Gradients;");
        w.Line($"var vectorGradients = workspace.VectorGradients.Slice(0, {BatchedLayout.VectorParameterSize(graph)} * batch);");
        w.Line("vectorGradients.Clear();");
        w.Line("var inputs = workspace.Inputs;");
        w.Line("var outputGradients = workspace.OutputGradients;");
        w.Line("var tape = workspace.Tape;");
        w.Line("var adjointTape = workspace.AdjointTape;");
        w.Line("var norms = workspace.StateAdjointSquaredNorms;");
        w.Line("int frame = FrameSize * batch;");
        w.Line("// dL/ds_{k2-1} is in place (the workspace's final state gradients); each step leaves dL/ds_{t-1} in the frame before.");
        w.Open("for (int t = TruncationLength - 1; t >= 0; t--)");
        w.Line($"norms[TruncationLength - 1 - t] = {steps}.BackwardStep(parameters, broadcast, gradients, vectorGradients, inputs.Slice(t * InputSize * batch, InputSize * batch), tape.Slice(t * frame, 2 * frame), outputGradients.Slice(t * OutputSize * batch, OutputSize * batch), adjointTape.Slice(t * frame, 2 * frame), batch);");
        w.Close();

        foreach (var product in windowProducts)
        {
            var matrix = product.Matrix;
            string operands = product.OperandBuffer == WindowBuffer.Tape ? "tape" : "inputs";
            string adjoints = $"adjointTape.Slice({BatchedLayout.Scaled(product.AdjointOffset)}), frame", values = $"{operands}.Slice({BatchedLayout.Scaled(product.OperandOffset)}), {BatchedLayout.Scaled(product.OperandStride)}";
            w.Line($"// {AdjointMath.OuterProductText(graph, product)}, summed over every t and every stream: one matrix product");
            w.Line($"global::UnrolledRnn.Kernels.BatchedProducts.AddTransposedProducts<{t}>(gradients.Slice({graph.ParameterOffset(matrix.Name)}, {matrix.Length}), {matrix.Rows}, {matrix.Columns}, TruncationLength, {(product.Transposed ? values : adjoints)}, {(product.Transposed ? adjoints : values)}, batch);");
        }

        foreach (var parameter in BatchedLayout.VectorParameters(graph))
        {
            w.Line($"// grad_{parameter.Name}: the sum over the streams of each stream's part");
            w.Line($"global::UnrolledRnn.Kernels.BatchedRows.AddSums<{t}>(vectorGradients.Slice({BatchedLayout.Scaled(BatchedLayout.VectorOffset(graph, parameter.Name))}, {BatchedLayout.Scaled(parameter.Length)}), batch, gradients.Slice({graph.ParameterOffset(parameter.Name)}, {parameter.Length}));");
        }

        w.Close();
    }

    private static void EmitStep(SourceWriter w, CellGraph graph, string cell, string workspace)
    {
        string steps = BatchedStepsEmitter.QualifiedName(graph);
        w.Line("/// <inheritdoc/>");
        w.Line(CSharp.GeneratedCode);
        w.Line(CSharp.HotPath);
        w.Open($"void {cell}.StepBatch({workspace} workspace, int batch)");
        Prologue(w);
        w.Line("var tape = workspace.Tape;");
        w.Line("var outputs = workspace.Outputs;");
        w.Line("int frame = FrameSize * batch;");
        w.Line($"{steps}.ForwardStep(_parameters.Span, BroadcastVectorParameters(workspace, batch), workspace.Inputs.Slice(0, InputSize * batch), tape.Slice(0, StateSize * batch), tape.Slice(frame, frame), batch);");
        CopyOutputs(w, graph, "frame", null);
        if (graph.StateSize > 0)
        {
            w.Line("// Carry the new states.");
            w.Line("tape.Slice(frame, StateSize * batch).CopyTo(tape);");
        }

        w.Line("workspace.RecordWindow(0); // the step has overwritten the window's first frame");

        w.Close();
    }

    /// <summary>The helper both forward drivers call: every vector parameter broadcast to the streams.</summary>
    private static void EmitBroadcast(SourceWriter w, CellGraph graph, string workspace)
    {
        string t = CSharp.Keyword(graph.Model.Precision);
        w.Line("/// <summary>Broadcasts every vector parameter to the streams of the batch: the block a batched step reads it from.</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Open($"private {CSharp.ReadOnlySpan}<{t}> BroadcastVectorParameters({workspace} workspace, int batch)");
        w.Line("var broadcast = workspace.Broadcast;");
        foreach (var parameter in BatchedLayout.VectorParameters(graph))
        {
            w.Line($"global::UnrolledRnn.Kernels.BatchedRows.Broadcast<{t}>(_parameters.Slice({graph.ParameterOffset(parameter.Name)}, {parameter.Length}), batch, broadcast.Slice({BatchedLayout.Scaled(BatchedLayout.VectorOffset(graph, parameter.Name))}, {BatchedLayout.Scaled(parameter.Length)}));");
        }

        w.Line("return broadcast;");
        w.Close();
    }

    private static void Prologue(SourceWriter w)
    {
        w.Line("global::System.ArgumentNullException.ThrowIfNull(workspace);");
        w.Line("workspace.Require(this, batch);");
    }

    /// <summary>Copies each output's block of a frame to the workspace's outputs of a step.</summary>
    private static void CopyOutputs(SourceWriter w, CellGraph graph, string frameStart, string? outputStart)
    {
        foreach (var output in graph.Outputs)
        {
            string from = Offset(frameStart, graph.ValueOf(output.Name).FrameOffset), to = Offset(outputStart, graph.OutputOffset(output.Name));
            w.Line($"tape.Slice({from}, {BatchedLayout.Scaled(output.Length)}).CopyTo(outputs.Slice({to}, {BatchedLayout.Scaled(output.Length)}));");
        }
    }

    /// <summary><c>start + offset * batch</c>, without the terms that are zero.</summary>
    private static string Offset(string? start, int offset) =>
        start is null ? BatchedLayout.Scaled(offset) : offset == 0 ? start : start + " + " + BatchedLayout.Scaled(offset);
}
