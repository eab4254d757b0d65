using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes the step class: a <c>file</c> class in its own namespace, holding ForwardStep, InferenceStep and BackwardStep, whose
/// usings let the step code call the kernels by their short names (as the Regex generator's implementation classes
/// do): no user type or member can shadow them there. The cell's drivers call it once per time step.
/// </summary>
internal static class StepsEmitter
{
    /// <summary>The step class as the cell's code names it.</summary>
    public static string QualifiedName(CellGraph graph) =>
        "global::" + GeneratedNames.StepsNamespace + "." + GeneratedNames.StepsClass(graph.Model.TypeName);

    public static void Emit(SourceWriter w, CellGraph graph, AdjointPlan plan)
    {
        w.Open("namespace " + GeneratedNames.StepsNamespace);
        foreach (string import in CSharp.StepsUsings)
        {
            w.Line($"using {import};");
        }

        w.Line();
        w.Line($"/// <summary>One time step of <c>{CellEmitter.Escape(graph.Model.TypeName)}</c>, forward and backward: the code that reads like the equations.</summary>");
        w.Line(CSharp.StepsGeneratedCode);
        w.Open($"file static class {GeneratedNames.StepsClass(graph.Model.TypeName)}");
        w.Line("/// <summary>Elements of one step's record, as in the cell.</summary>");
        w.Line($"private const int FrameSize = {graph.FrameSize};");
        w.Line();
        ForwardEmitter.Emit(w, graph);
        w.Line();
        ForwardEmitter.EmitInference(w, graph, PreparedLayout.Build(graph));
        w.Line();
        BackwardEmitter.Emit(w, graph, plan);
        w.Close();
        w.Close();
    }
}
