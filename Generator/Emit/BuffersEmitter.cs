using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the buffers, all allocated once at construction, and the named views into them: parameters and
/// gradients are each one contiguous span, so an optimizer can treat them as one.
/// </summary>
internal static class BuffersEmitter
{
    public static void Emit(SourceWriter w, CellGraph graph)
    {
        var model = graph.Model;
        string t = CSharp.Keyword(model.Precision);
        string span = CSharp.Span;
        string buffer = $"global::UnrolledRnn.AlignedBuffer<{t}>";
        w.Line("// Every buffer is allocated here, once, 64-byte aligned; Forward, Backward and Step allocate nothing.");
        w.Line($"private readonly {buffer} _parameters = new(ParameterCount);");
        w.Line($"private readonly {buffer} _gradients = new(ParameterCount);");
        w.Line($"private readonly {buffer} _state = new(StateSize);");
        w.Line();
        w.Line("/// <summary>The window's primal values: s_{-1}, then one frame per step from TapeStart on.</summary>");
        w.Line($"private readonly {buffer} _tape = new(TapeStart + TruncationLength * FrameSize);");
        w.Line("/// <summary>The window's inputs, kept for the weight gradients of Backward.</summary>");
        w.Line($"private readonly {buffer} _recordedInputs = new(TruncationLength * InputSize);");
        w.Line("/// <summary>The window's adjoints, laid out as the tape: dL/ds_{-1}, then one adjoint frame per step.</summary>");
        w.Line($"private readonly {buffer} _adjointTape = new(TapeStart + TruncationLength * FrameSize);");
        w.Line("/// <summary>The frame of Step, which records nothing beyond the current step.</summary>");
        w.Line($"private readonly {buffer} _stepFrame = new(FrameSize);");
        w.Line();

        View(w, $"{span}<{t}>", "Parameters", "_parameters.Span", "Every parameter, in one contiguous buffer (layout: ParameterTensors).");
        View(w, $"{span}<{t}>", "Gradients", "_gradients.Span", "The accumulated gradient of every parameter, laid out as Parameters.");
        View(w, $"{span}<{t}>", "State", "_state.Span", "The state carried from one window (or step) to the next.");
        foreach (var parameter in model.Parameters)
        {
            int offset = graph.ParameterOffset(parameter.Name);
            string shape = parameter.IsMatrix ? $"{parameter.Rows} x {parameter.Columns}, row-major" : $"{parameter.Rows}";
            View(w, $"{span}<{t}>", GeneratedNames.ParameterView(parameter.Name), $"_parameters.Slice({offset}, {parameter.Length})", $"The parameter {parameter.Name} ({shape}).");
            View(w, $"{span}<{t}>", GeneratedNames.GradientView(parameter.Name), $"_gradients.Slice({offset}, {parameter.Length})", $"The accumulated gradient of {parameter.Name}.");
        }

        foreach (var vector in graph.Recurrent)
        {
            View(w, $"{span}<{t}>", GeneratedNames.CarriedState(vector.Name), $"_state.Slice({graph.StateOffset(vector.Name)}, {vector.Length})", $"The carried value of {vector.Name}.");
        }

        w.Line();
        w.Line("private static readonly global::UnrolledRnn.ParameterTensor[] s_parameterTensors =");
        w.Line("{");
        foreach (var parameter in model.Parameters)
        {
            w.Line($"    new(\"{parameter.Name}\", {graph.ParameterOffset(parameter.Name)}, {parameter.Rows}, {parameter.Columns}, global::UnrolledRnn.ParameterRole.{graph.RoleOf(parameter)}),");
        }

        w.Line("};");
        w.Line();
        w.Line("/// <summary>Name, shape, offset and role of every parameter tensor in Parameters.</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Line("public global::System.Collections.Generic.IReadOnlyList<global::UnrolledRnn.ParameterTensor> ParameterTensors => s_parameterTensors;");
    }

    private static void View(SourceWriter w, string type, string name, string expression, string summary)
    {
        w.Line($"/// <summary>{CellEmitter.Escape(summary)}</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Line($"public {type} {name} => {expression};");
    }
}
