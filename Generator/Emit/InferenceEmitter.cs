using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the prepared inference of a cell: <c>PrepareInference</c>, the snapshot class (the parameters, then the
/// stacked, transposed weights and summed biases of <see cref="PreparedLayout"/>) and the stream class, whose
/// <c>Step</c> calls the step class's <c>InferenceStep</c> between two frames, swapped at each step, so the new state is
/// never copied.
/// </summary>
internal static class InferenceEmitter
{
    private const string Interfaces = "global::UnrolledRnn.Inference.";

    public static void Emit(SourceWriter w, CellGraph graph)
    {
        var model = graph.Model;
        string t = CSharp.Keyword(model.Precision);
        string cell = CSharp.Identifier(model.TypeName);
        var layout = model.EquationsValid ? PreparedLayout.Build(graph) : null;

        w.Line("/// <summary>");
        w.Line("/// A snapshot of the current parameters in the layout of the inference step, for any number of streams");
        w.Line($"/// (<see cref=\"{GeneratedNames.InferenceWeights}.CreateStream\"/>). A copy, like an ONNX export: parameters written later reach it only");
        w.Line($"/// through <see cref=\"{GeneratedNames.InferenceWeights}.Refresh\"/> or a new snapshot.");
        w.Line("/// </summary>");
        w.Line(CSharp.GeneratedCode);
        w.Line($"public {GeneratedNames.InferenceWeights} {GeneratedNames.PrepareInference}() => new(this);");
        w.Line();
        w.Line($"{Interfaces}IInferenceWeights<{t}> {Interfaces}IInferenceCell<{t}>.{GeneratedNames.PrepareInference}() => {GeneratedNames.PrepareInference}();");
        w.Line();
        EmitWeights(w, graph, layout, t, cell);
        w.Line();
        EmitStream(w, graph, t);
    }

    private static void EmitWeights(SourceWriter w, CellGraph graph, PreparedLayout? layout, string t, string cell)
    {
        w.Line("/// <summary>");
        w.Line("/// The parameters of a cell as its inference step reads them: as they are, then each sum of products' weights stacked and");
        w.Line("/// transposed (row k: what multiplies element k of the products' operands) and its two biases added. Immutable but for");
        w.Line("/// <see cref=\"Refresh\"/>; shared by its streams.");
        w.Line("/// </summary>");
        w.Line(CSharp.GeneratedCode);
        w.Open($"public sealed class {GeneratedNames.InferenceWeights} : {Interfaces}IInferenceWeights<{t}>");
        w.Line($"private readonly {cell} _cell;");
        w.Line($"private readonly global::UnrolledRnn.AlignedBuffer<{t}> _weights = new({layout?.Size ?? 0});");
        w.Line();
        w.Open($"internal {GeneratedNames.InferenceWeights}({cell} cell)");
        w.Line("_cell = cell;");
        w.Line("Refresh();");
        w.Close();
        w.Line();
        w.Line("/// <summary>The snapshot: the parameters, then the stacked weights and summed biases.</summary>");
        w.Line($"internal global::System.ReadOnlySpan<{t}> Span => _weights.Span;");
        w.Line();
        w.Line("/// <summary>Takes the cell's current parameters. No stream of this snapshot may be stepping meanwhile.</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Open("public void Refresh()");
        if (layout is null)
        {
            w.Line(DriversEmitter.NotGenerated);
        }
        else
        {
            w.Line("var parameters = _cell._parameters.Span;");
            w.Line("var weights = _weights.Span;");
            w.Line("parameters.CopyTo(weights); // the parameters as they are");
            foreach (var sum in layout.Sums)
            {
                var stacked = sum.Weights;
                w.Line($"// {stacked.Name} = [{string.Join(" ", System.Linq.Enumerable.Select(stacked.Products, p => p.Matrix!.Name))}]^T");
                int offset = stacked.Offset;
                foreach (var product in stacked.Products)
                {
                    var matrix = product.Matrix!;
                    w.Line($"{CSharp.MatrixVector}.TransposeInto<{t}>(parameters.Slice({graph.ParameterOffset(matrix.Name)}, {matrix.Length}), {matrix.Rows}, {matrix.Columns}, weights.Slice({offset}, {matrix.Length}));");
                    offset += matrix.Length;
                }

                if (sum.Bias is { IsDerived: true } bias)
                {
                    string a = bias.Terms[0].LeafName!, b = bias.Terms[1].LeafName!;
                    w.Line($"// {bias.Name} = {a} + {b}");
                    w.Line($"global::System.Numerics.Tensors.TensorPrimitives.Add<{t}>(parameters.Slice({graph.ParameterOffset(a)}, {bias.Length}), parameters.Slice({graph.ParameterOffset(b)}, {bias.Length}), weights.Slice({bias.Offset}, {bias.Length}));");
                }
            }
        }

        w.Close();
        w.Line();
        w.Line("/// <summary>A new stream over this snapshot, its state zero.</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Line($"public {GeneratedNames.InferenceStream} CreateStream() => new(this);");
        w.Line();
        w.Line($"{Interfaces}IInferenceStream<{t}> {Interfaces}IInferenceWeights<{t}>.CreateStream() => CreateStream();");
        w.Close();
    }

    private static void EmitStream(SourceWriter w, CellGraph graph, string t)
    {
        w.Line("/// <summary>");
        w.Line("/// One stream over a prepared snapshot: its own carried state, nothing recorded. Not thread-safe; the streams of one snapshot");
        w.Line("/// may step on different threads at once.");
        w.Line("/// </summary>");
        w.Line(CSharp.GeneratedCode);
        w.Open($"public sealed class {GeneratedNames.InferenceStream} : {Interfaces}IInferenceStream<{t}>");
        w.Line($"private readonly {GeneratedNames.InferenceWeights} _weights;");
        w.Line();
        w.Line("/// <summary>Two frames: the head of one holds s_{t-1}, the step fills the other; they swap at each step.</summary>");
        w.Line($"private readonly global::UnrolledRnn.AlignedBuffer<{t}> _frames = new(2 * FrameSize);");
        w.Line();
        w.Line("/// <summary>Where the frame whose head holds the carried state starts: 0 or FrameSize.</summary>");
        w.Line("private int _previous;");
        w.Line();
        w.Line($"internal {GeneratedNames.InferenceStream}({GeneratedNames.InferenceWeights} weights) => _weights = weights;");
        w.Line();
        // Explicit, so that InputSize and OutputSize in this class are the cell's constants (a cell may have a member
        // named as the cell, so "Cell.InputSize" could name the member's).
        w.Line($"int {Interfaces}IInferenceStream<{t}>.InputSize => InputSize;");
        w.Line();
        w.Line($"int {Interfaces}IInferenceStream<{t}>.OutputSize => OutputSize;");
        w.Line();
        w.Line("/// <summary>The carried state, laid out as the cell's State.</summary>");
        w.Line($"public global::System.Span<{t}> State => _frames.Slice(_previous, StateSize);");
        w.Line();
        w.Line("/// <summary>Sets the carried state to zero: the start of a new sequence.</summary>");
        w.Line("public void Reset() => State.Clear();");
        w.Line();
        w.Line("/// <summary>One step from the carried state, recording nothing.</summary>");
        w.Line("/// <param name=\"input\">x_t: InputSize elements.</param>");
        w.Line("/// <param name=\"output\">Receives y_t: OutputSize elements.</param>");
        w.Line(CSharp.GeneratedCode);
        w.Line(CSharp.HotPath);
        w.Open($"public void Step({CSharp.ReadOnlySpan}<{t}> input, {CSharp.Span}<{t}> output)");
        if (!graph.Model.EquationsValid)
        {
            w.Line(DriversEmitter.NotGenerated);
        }
        else
        {
            DriversEmitter.WriteStepArgumentChecks(w);
            w.Line("var frames = _frames.Span;");
            w.Line("int next = FrameSize - _previous;");
            w.Line("var frame = frames.Slice(next, FrameSize);");
            w.Line($"{StepsEmitter.QualifiedName(graph)}.InferenceStep(_weights.Span, input, frames.Slice(_previous, StateSize), frame);");
            DriversEmitter.WriteStepOutputs(w, graph);

            w.Line("_previous = next;");
        }

        w.Close();
        w.Close();
    }
}
