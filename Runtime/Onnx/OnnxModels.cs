using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Reflection;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Onnx.Proto;

namespace UnrolledRnn.Onnx;

/// <summary>
/// Builds the two ONNX models of a cell from its step-graph description and its current parameters: the step
/// model, and the sequence model, a <c>Scan</c> over the step. Parameters are initializers of the top graph
/// under their checkpoint names and shapes; the <c>Scan</c> body reads them from the outer scope.
/// </summary>
internal static class OnnxModels
{
    /// <summary>The step model: inputs x_t and s_{t-1}, outputs y_t and s_t, as the description names them, each a row [1, size].</summary>
    public static ModelProto Step<T>(IUnrolledCell<T> cell, OnnxStepGraph graph, CheckpointNames names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var step = StepGraph<T>(cell, graph, names, "step");
        AddInitializers(step, cell, names);
        return Model(step, $"One step of {cell.GetType().Name}.");
    }

    /// <summary>
    /// The sequence model: inputs "initial_{s}" [1, size] (each state's previous name) and "{x}_sequence" [T, 1, size];
    /// outputs "final_{s}" [1, size] (each state's new name) and "{y}_sequence" [T, 1, size].
    /// </summary>
    public static ModelProto Sequence<T>(IUnrolledCell<T> cell, OnnxStepGraph graph, CheckpointNames names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var body = StepGraph<T>(cell, graph, names, "step");
        var scan = new NodeProto { Name = "scan", OpType = "Scan" };
        scan.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body });
        scan.Attribute.Add(new AttributeProto { Name = "num_scan_inputs", Type = AttributeProto.Types.AttributeType.Int, I = graph.Inputs.Count });

        var sequence = new GraphProto { Name = "sequence" };
        foreach (var state in graph.States)
        {
            sequence.Input.Add(OnnxTensors.Value<T>("initial_" + state.Previous, 1, state.Size));
            scan.Input.Add("initial_" + state.Previous);
            sequence.Output.Add(OnnxTensors.Value<T>("final_" + state.Next, 1, state.Size));
            scan.Output.Add("final_" + state.Next);
        }

        foreach (var input in graph.Inputs)
        {
            sequence.Input.Add(OnnxTensors.Value<T>(input.Name + "_sequence", null, 1, input.Size));
            scan.Input.Add(input.Name + "_sequence");
        }

        foreach (var output in graph.Outputs)
        {
            sequence.Output.Add(OnnxTensors.Value<T>(output.Name + "_sequence", null, 1, output.Size));
            scan.Output.Add(output.Name + "_sequence");
        }

        RequireNotShadowed(sequence, body);
        sequence.Node.Add(scan);
        AddInitializers(sequence, cell, names);
        return Model(sequence, $"{cell.GetType().Name} over a sequence: a Scan whose body is one step.");
    }

    /// <summary>
    /// ONNX forbids a Scan body to give a value a name of the outer graph: the step's values must not be named like the
    /// sequence model's inputs and outputs (the generator keeps its own names clear of them; a vector's name cannot be
    /// changed, e.g. an input "x_sequence" beside an input "x").
    /// </summary>
    private static void RequireNotShadowed(GraphProto sequence, GraphProto body)
    {
        var stepNames = new HashSet<string>(body.Input.Select(i => i.Name).Concat(body.Node.SelectMany(n => n.Output)), StringComparer.Ordinal);
        foreach (string outer in sequence.Input.Concat(sequence.Output).Select(v => v.Name).Where(stepNames.Contains))
        {
            throw new ArgumentException(
                $"The sequence model's value '{outer}' has the name of a value of the step, which ONNX forbids in a Scan body: " +
                "rename the cell's input, output or state that gives the step this name.");
        }
    }

    /// <summary>The step as a graph without initializers: the step model itself, or the body of the Scan.</summary>
    private static GraphProto StepGraph<T>(IUnrolledCell<T> cell, OnnxStepGraph graph, CheckpointNames names, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var checkpointNames = CheckpointNamesOf(cell, names);
        OnnxGraphCheck.Require(cell, graph, checkpointNames);
        var result = new GraphProto { Name = name };
        foreach (var state in graph.States)
        {
            result.Input.Add(OnnxTensors.Value<T>(state.Previous, 1, state.Size));
        }

        foreach (var input in graph.Inputs)
        {
            result.Input.Add(OnnxTensors.Value<T>(input.Name, 1, input.Size));
        }

        foreach (var state in graph.States)
        {
            result.Output.Add(OnnxTensors.Value<T>(state.Next, 1, state.Size));
        }

        foreach (var output in graph.Outputs)
        {
            result.Output.Add(OnnxTensors.Value<T>(output.Name, 1, output.Size));
        }

        foreach (var node in graph.Nodes)
        {
            result.Node.Add(Node<T>(node, checkpointNames));
        }

        return result;
    }

    private static NodeProto Node<T>(OnnxNode node, IReadOnlyDictionary<string, string> checkpointNames)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var proto = new NodeProto { Name = node.Name, OpType = node.OpType, DocString = node.DocString };
        proto.Input.AddRange(node.Inputs.Select(i => checkpointNames.TryGetValue(i, out var renamed) ? renamed : i));
        proto.Output.AddRange(node.Outputs);
        foreach (var attribute in node.Attributes)
        {
            proto.Attribute.Add(attribute switch
            {
                { Integer: long value } => new AttributeProto { Name = attribute.Name, Type = AttributeProto.Types.AttributeType.Int, I = value },
                { Float: float value } => new AttributeProto { Name = attribute.Name, Type = AttributeProto.Types.AttributeType.Float, F = value },
                _ => new AttributeProto { Name = attribute.Name, Type = AttributeProto.Types.AttributeType.Tensor, T = OnnxTensors.Constant<T>(attribute.Tensor!) },
            });
        }

        return proto;
    }

    /// <summary>Each parameter, as an initializer named and shaped as in the checkpoints.</summary>
    private static void AddInitializers<T>(GraphProto graph, IUnrolledCell<T> cell, CheckpointNames names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensors = cell.ParameterTensors;
        var checkpointNames = names.ToCheckpointNames(tensors);
        for (int i = 0; i < tensors.Count; i++)
        {
            graph.Initializer.Add(OnnxTensors.Tensor<T>(checkpointNames[i], cell.Parameters.Slice(tensors[i].Offset, tensors[i].Length),
                TensorLayout.ShapeOf(tensors[i]).Select(d => (long)d)));
        }
    }

    private static Dictionary<string, string> CheckpointNamesOf<T>(IUnrolledCell<T> cell, CheckpointNames names)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var checkpointNames = names.ToCheckpointNames(cell.ParameterTensors);
        return cell.ParameterTensors.Select((t, i) => (t.Name, checkpointNames[i])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
    }

    private static ModelProto Model(GraphProto graph, string description)
    {
        var model = new ModelProto
        {
            IrVersion = OnnxStepGraph.IrVersion,
            ProducerName = "UnrolledRnn",
            ProducerVersion = typeof(OnnxModels).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = description,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxStepGraph.Opset });
        return model;
    }
}
