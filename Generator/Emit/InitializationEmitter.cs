using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>Writes ResetState, ZeroGradients and the seeded parameter initialisation.</summary>
internal static class InitializationEmitter
{
    public static void Emit(SourceWriter w, CellGraph graph)
    {
        var model = graph.Model;
        string t = CSharp.Keyword(model.Precision);
        w.Line("/// <summary>Sets the carried state to zero: the start of a new sequence.</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Line("public void ResetState() => _state.Span.Clear();");
        w.Line();
        w.Line("/// <summary>Sets every accumulated gradient to zero.</summary>");
        w.Line(CSharp.GeneratedCode);
        w.Line("public void ZeroGradients() => _gradients.Span.Clear();");
        w.Line();
        string recurrent = model.RecurrentInitialization.ToString();
        w.Line("/// <summary>");
        w.Line($"/// Fills the parameters from <paramref name=\"seed\"/>: Glorot uniform for input and output weights, {recurrent.ToLowerInvariant()}");
        w.Line("/// blocks for recurrent weights, zero for vectors. The same seed gives the same parameters on every machine.");
        w.Line("/// </summary>");
        w.Line(CSharp.GeneratedCode);
        w.Open("public void InitializeParameters(ulong seed)");
        if (model.EquationsValid)
        {
            w.Line($"{GeneratedNames.WindowRecorded} = false; // the recorded window belongs to the former parameters");
        }

        w.Line("var random = new global::UnrolledRnn.SeededRandom(seed);");
        w.Line("var parameters = _parameters.Span;");
        foreach (var parameter in model.Parameters)
        {
            string view = $"parameters.Slice({graph.ParameterOffset(parameter.Name)}, {parameter.Length})";
            var role = graph.RoleOf(parameter);
            string initializer = "global::UnrolledRnn.ParameterInitializer";
            if (role == ParameterRole.Vector && graph.IsLayerNormGain(parameter))
            {
                w.Line($"{view}.Fill(1); // {parameter.Name}: one (a layer norm's gain)");
            }
            else if (role == ParameterRole.Vector)
            {
                w.Line($"{view}.Clear(); // {parameter.Name}: zero");
            }
            else if (role == ParameterRole.RecurrentWeight && model.RecurrentInitialization == RecurrentInitialization.Identity)
            {
                w.Line($"{initializer}.Identity<{t}>({view}, {parameter.Rows}, {parameter.Columns}); // {parameter.Name}: recurrent");
            }
            else
            {
                bool isRecurrent = role == ParameterRole.RecurrentWeight;
                w.Line($"{initializer}.{(isRecurrent ? "Orthogonal" : "GlorotUniform")}<{t}>({view}, {parameter.Rows}, {parameter.Columns}, ref random); // {parameter.Name}: {(isRecurrent ? "recurrent" : "input or output weight")}");
            }
        }

        w.Close();
    }
}
