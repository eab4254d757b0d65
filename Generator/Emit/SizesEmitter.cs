using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>Writes the compile-time sizes of the cell, and their interface implementations.</summary>
internal static class SizesEmitter
{
    public static void Emit(SourceWriter w, CellGraph graph)
    {
        var model = graph.Model;
        string t = CSharp.Keyword(model.Precision);
        Constant(w, GeneratedNames.TruncationLength, model.TruncationLength, "k2: the number of steps Forward and Backward unroll.");
        Constant(w, GeneratedNames.InputSize, graph.InputSize, "Elements of the input at one step: " + Join(graph.Inputs) + ".");
        Constant(w, GeneratedNames.OutputSize, graph.OutputSize, "Elements of the output at one step: " + Join(graph.Outputs) + ".");
        Constant(w, GeneratedNames.StateSize, graph.StateSize, "Elements of the carried state: " + Join(graph.Recurrent) + ".");
        Constant(w, GeneratedNames.ParameterCount, graph.ParameterCount, "Number of trained scalars, the length of Parameters and Gradients.");
        foreach (var vector in model.Vectors)
        {
            Constant(w, GeneratedNames.SizeOf(vector.Name), vector.Length, $"Elements of the {vector.Role.ToString().ToLowerInvariant()} {vector.Name}.");
        }

        foreach (var parameter in model.Parameters)
        {
            Constant(w, GeneratedNames.RowsOf(parameter.Name), parameter.Rows, $"Rows of the parameter {parameter.Name}.");
            Constant(w, GeneratedNames.ColumnsOf(parameter.Name), parameter.Columns, $"Columns of the parameter {parameter.Name}.");
        }

        w.Line();
        w.Line("/// <summary>Elements of one step's record: the new state first, then the outputs, then every other stored value.</summary>");
        w.Line($"private const int {GeneratedNames.FrameSize} = {graph.FrameSize};");
        w.Line("/// <summary>Where the first frame starts in the tape: after s_{-1}, which fills the state part of a frame -1.</summary>");
        w.Line($"private const int {GeneratedNames.TapeStart} = {graph.TapeStart};");
        w.Line();
        foreach (var name in new[] { GeneratedNames.TruncationLength, GeneratedNames.InputSize, GeneratedNames.OutputSize, GeneratedNames.StateSize, GeneratedNames.ParameterCount })
        {
            w.Line($"int global::UnrolledRnn.IUnrolledCell<{t}>.{name} => {name};");
        }
    }

    private static void Constant(SourceWriter w, string name, int value, string summary)
    {
        w.Line($"/// <summary>{CellEmitter.Escape(summary)}</summary>");
        w.Line($"public const int {name} = {value};");
    }

    private static string Join(System.Collections.Generic.IEnumerable<Models.VectorDeclaration> vectors)
    {
        string joined = string.Join(", ", System.Linq.Enumerable.Select(vectors, v => $"{v.Name} ({v.Length})"));
        return joined.Length == 0 ? "none" : joined;
    }
}
