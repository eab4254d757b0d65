using System;
using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Naming;

/// <summary>
/// Every name the generated code declares, in one place: the members added to the cell, the step class, and the
/// locals of the step methods (<c>h_t</c>, <c>h_prev</c>, <c>d_h_t</c>, <c>grad_W</c>). The emitters and the step
/// graph name things through it, and the parser's reserved-name check (URNN021) asks it which names are taken.
/// </summary>
internal static class GeneratedNames
{
    // Members of the cell.
    public const string TruncationLength = "TruncationLength";
    public const string InputSize = "InputSize";
    public const string OutputSize = "OutputSize";
    public const string StateSize = "StateSize";
    public const string ParameterCount = "ParameterCount";
    public const string FrameSize = "FrameSize";
    public const string TapeStart = "TapeStart";

    /// <summary>The flag Forward sets once it has recorded a window; Backward differentiates that window or throws.</summary>
    public const string WindowRecorded = "_windowRecorded";

    /// <summary>The cell's ONNX description (IOnnxExportable), and the nested class that holds it once built.</summary>
    public const string OnnxStepGraph = "OnnxStepGraph";

    public const string OnnxDescription = "OnnxDescription";

    /// <summary>The members every generated cell declares, beside the per-vector and per-parameter ones below.</summary>
    public static IReadOnlyList<string> FixedMembers { get; } = new[]
    {
        "Forward", "Backward", "Step", "ResetState", "ZeroGradients", "InitializeParameters", "Parameters", "Gradients",
        "State", "ParameterTensors", InputSize, OutputSize, StateSize, ParameterCount, TruncationLength,
        FrameSize, TapeStart, "_parameters", "_gradients", "_state", "_tape", "_recordedInputs",
        "_adjointTape", "_stepFrame", WindowRecorded, "s_parameterTensors", OnnxStepGraph, OnnxDescription,
        "BroadcastVectorParameters", PrepareInference, InferenceWeights, InferenceStream,
    };

    // Prepared inference: the snapshot and its streams, nested in the cell.

    public const string PrepareInference = "PrepareInference";

    /// <summary>The nested class of the snapshot a prepared inference reads.</summary>
    public const string InferenceWeights = "InferenceWeights";

    /// <summary>The nested class of one stream over a snapshot.</summary>
    public const string InferenceStream = "InferenceStream";

    public static string SizeOf(string vector) => "Size_" + vector;

    public static string CarriedState(string vector) => "State_" + vector;

    public static string RowsOf(string parameter) => "Rows_" + parameter;

    public static string ColumnsOf(string parameter) => "Columns_" + parameter;

    public static string ParameterView(string parameter) => "Parameter_" + parameter;

    public static string GradientView(string parameter) => "Gradient_" + parameter;

    /// <summary>Every member name of a cell with these vectors and parameters.</summary>
    public static HashSet<string> Members(IEnumerable<VectorDeclaration> vectors, IEnumerable<ParameterDeclaration> parameters)
    {
        var members = new HashSet<string>(FixedMembers);
        foreach (var vector in vectors)
        {
            members.Add(SizeOf(vector.Name));
            if (vector.Role != VectorRole.Input)
            {
                members.Add(CarriedState(vector.Name));
            }
        }

        foreach (var parameter in parameters)
        {
            members.UnionWith(new[] { RowsOf(parameter.Name), ColumnsOf(parameter.Name), ParameterView(parameter.Name), GradientView(parameter.Name) });
        }

        return members;
    }

    // The step class and its methods.

    /// <summary>The file-local class holding the step methods of a cell, in <see cref="StepsNamespace"/>.</summary>
    public static string StepsClass(string cell) => cell + "Steps";

    /// <summary>The file-local class holding the batched step methods of a cell, beside <see cref="StepsClass"/>.</summary>
    public static string BatchedStepsClass(string cell) => cell + "BatchedSteps";

    /// <summary>The namespace of the step classes: their usings there make short names safe.</summary>
    public const string StepsNamespace = "UnrolledRnn.Generated";

    /// <summary>
    /// The step methods' own parameters and the kernel classes they call by short name: a local named like one
    /// (a parameter's local is the parameter's name) would shadow it.
    /// </summary>
    public static IReadOnlyList<string> StepMethodNames { get; } = new[]
    {
        "input", "previous", "frame", "frames", "outputGradient", "adjointFrames", "parameters", "gradients",
        "stateAdjointSquaredNorm", "TensorPrimitives", "MatrixVector", "Activations", "Registers", "Vector512", "Vector256", "Vector128", FusedIndex,
        "batch", "broadcast", "vectorGradients", "BatchedProducts",
    };

    /// <summary>The offset of the chunk a fused loop computes: <c>j</c>.</summary>
    public const string FusedIndex = "j";

    /// <summary>The register (or scalar) holding a chunk of a value in a fused loop: <c>v_c_t</c> for <c>c_t</c>, <c>v_d_c_t</c> for <c>d_c_t</c>.</summary>
    public static string Register(string local) => RegisterPrefix + local;

    /// <summary>The prefix of <see cref="Register"/>, which no name in <c>Equations</c> may start with (URNN021).</summary>
    public const string RegisterPrefix = "v_";

    public static bool IsRegisterName(string name) => name.StartsWith(RegisterPrefix, StringComparison.Ordinal);

    /// <summary>The value of an input, a state or a local at step t: <c>h_t</c>.</summary>
    public static string AtStep(string stem) => stem + "_t";

    /// <summary>A recurrent vector's value at t-1: <c>h_prev</c>.</summary>
    public static string Previous(string vector) => vector + "_prev";

    /// <summary>The adjoint dL/dv of the value held in the local <paramref name="local"/>: <c>d_h_t</c>.</summary>
    public static string Adjoint(string local) => "d_" + local;

    /// <summary>The gradient of a parameter, dL/dW: <c>grad_W</c>.</summary>
    public static string Gradient(string parameter) => "grad_" + parameter;

    /// <summary>The name of the argument of <paramref name="value"/>'s function when nothing else names it: <c>pre_h_t</c>.</summary>
    public static string Argument(string value) => AtStep("pre_" + Stem(value));

    /// <summary>The name of an unnamed result, from what computes it and its operand: <c>tanh_c_t</c>.</summary>
    public static string Result(string operation, string operand) => AtStep(operation + "_" + Stem(operand));

    /// <summary>The name of an unnamed result with no named operand: <c>tmp0_t</c>.</summary>
    public static string Temporary(int index) => AtStep("tmp" + index);

    public static bool IsTemporary(string local) => local.StartsWith("tmp", StringComparison.Ordinal);

    /// <summary>
    /// The names a parameter's local must not take in the step methods: their own names, and the locals of every
    /// vector (<c>x_t</c>, <c>h_prev</c>, their adjoints) and every parameter's gradient.
    /// </summary>
    public static HashSet<string> StepLocals(IEnumerable<VectorDeclaration> vectors, IEnumerable<ParameterDeclaration> parameters)
    {
        var locals = new HashSet<string>(StepMethodNames);
        foreach (var vector in vectors)
        {
            locals.UnionWith(new[] { AtStep(vector.Name), Previous(vector.Name), Adjoint(AtStep(vector.Name)), Adjoint(Previous(vector.Name)) });
        }

        locals.UnionWith(parameters.Select(p => Gradient(p.Name)));
        return locals;
    }

    /// <summary>A name made unique among <paramref name="taken"/> by a number before its step suffix: <c>a2_t</c>.</summary>
    public static string Unique(string candidate, HashSet<string> taken)
    {
        string name = candidate;
        for (int i = 2; !taken.Add(name); i++)
        {
            name = AtStep(Stem(candidate) + i);
        }

        return name;
    }

    private static string Stem(string local) =>
        local.EndsWith("_t", StringComparison.Ordinal) ? local.Substring(0, local.Length - 2) : local;
}
