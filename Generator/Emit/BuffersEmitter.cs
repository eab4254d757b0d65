using UnrolledRnn.Generator.Graph;

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
        string t = CSharp.Keyword(model.ElementType);
        string span = CSharp.Span;
        w.Line($"private readonly {t}[] _parameters = new {t}[ParameterCount];");
        w.Line($"private readonly {t}[] _gradients = new {t}[ParameterCount];");
        w.Line($"private readonly {t}[] _state = new {t}[StateSize];");
        w.Line();
        w.Line("/// <summary>The window's primal values: s_{-1} (StateSize elements), then one frame per step.</summary>");
        w.Line($"private readonly {t}[] _tape = new {t}[StateSize + TruncationLength * FrameSize];");
        w.Line("/// <summary>The window's inputs, kept for the weight gradients of Backward.</summary>");
        w.Line($"private readonly {t}[] _recordedInputs = new {t}[TruncationLength * InputSize];");
        w.Line("/// <summary>Adjoint frames of steps t and t-1, used in turn by Backward.</summary>");
        w.Line($"private readonly {t}[] _adjointFrameA = new {t}[FrameSize];");
        w.Line($"private readonly {t}[] _adjointFrameB = new {t}[FrameSize];");
        w.Line("/// <summary>The frame of Step, which records nothing beyond the current step.</summary>");
        w.Line($"private readonly {t}[] _stepFrame = new {t}[FrameSize];");
        w.Line();

        View(w, $"{span}<{t}>", "Parameters", "_parameters", "Every parameter, in one contiguous buffer (layout: ParameterTensors).");
        View(w, $"{span}<{t}>", "Gradients", "_gradients", "The accumulated gradient of every parameter, laid out as Parameters.");
        View(w, $"{span}<{t}>", "State", "_state", "The state carried from one window (or step) to the next.");
        foreach (var parameter in model.Parameters)
        {
            int offset = graph.ParameterOffset(parameter.Name);
            string shape = parameter.IsMatrix ? $"{parameter.Rows} x {parameter.Columns}, row-major" : $"{parameter.Rows}";
            View(w, $"{span}<{t}>", "Parameter_" + parameter.Name, $"_parameters, {offset}, {parameter.Length}", $"The parameter {parameter.Name} ({shape}).");
            View(w, $"{span}<{t}>", "Gradient_" + parameter.Name, $"_gradients, {offset}, {parameter.Length}", $"The accumulated gradient of {parameter.Name}.");
        }

        foreach (var vector in graph.Recurrent)
        {
            View(w, $"{span}<{t}>", "State_" + vector.Name, $"_state, {graph.StateOffset(vector.Name)}, {vector.Length}", $"The carried value of {vector.Name}.");
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

    private static void View(SourceWriter w, string type, string name, string arguments, string summary)
    {
        w.Line($"/// <summary>{CellEmitter.Escape(summary)}</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Line($"public {type} {name} => new({arguments});");
    }
}
