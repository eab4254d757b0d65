using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace UnrolledRnn.Onnx;

/// <summary>
/// Checks, before anything is written, that a step-graph description fits the cell it is exported with and is a
/// well-formed ONNX graph: sizes, parameter names, known operators, every value assigned once and read only
/// after it is assigned. Each error names the node or value at fault.
/// </summary>
internal static class OnnxGraphCheck
{
    public static void Require<T>(IUnrolledCell<T> cell, OnnxStepGraph graph, IReadOnlyDictionary<string, string> checkpointNames)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (name, size) in graph.Inputs.Select(v => (v.Name, v.Size)).Concat(graph.Outputs.Select(v => (v.Name, v.Size)))
                     .Concat(graph.States.Select(s => (s.Next, s.Size))).Where(v => v.Size <= 0))
        {
            throw new ArgumentException($"The step graph gives '{name}' {size} elements; every input, output and state has at least 1.");
        }

        RequireSize("inputs", graph.Inputs.Sum(v => v.Size), cell.InputSize, "InputSize");
        RequireSize("outputs", graph.Outputs.Sum(v => v.Size), cell.OutputSize, "OutputSize");
        RequireSize("states", graph.States.Sum(s => s.Size), cell.StateSize, "StateSize");
        var cellParameters = cell.ParameterTensors.Select(t => t.Name).ToArray();
        if (!graph.Parameters.SequenceEqual(cellParameters))
        {
            throw new ArgumentException(
                $"The step graph describes the parameters [{string.Join(", ", graph.Parameters)}], but the cell {cell.GetType().Name} has " +
                $"[{string.Join(", ", cellParameters)}]: the description is of another cell.");
        }

        // Every name, with what assigns it: a graph input, a parameter (under its checkpoint name too), or a node.
        var assigned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in graph.Inputs)
        {
            Assign(assigned, input.Name, "the step input");
        }

        foreach (var state in graph.States)
        {
            Assign(assigned, state.Previous, "the previous state");
        }

        foreach (var (cellName, checkpointName) in checkpointNames)
        {
            Assign(assigned, cellName, "the parameter");
            if (checkpointName != cellName)
            {
                Assign(assigned, checkpointName, $"the checkpoint name of the parameter '{cellName}'");
            }
        }

        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (string.IsNullOrEmpty(node.Name) || !nodeNames.Add(node.Name))
            {
                throw new ArgumentException($"A node ({node.OpType} producing [{string.Join(", ", node.Outputs)}]) has the name '{node.Name}', empty or already used; every node needs a name of its own.");
            }

            OnnxOperators.Require(node);
            foreach (string input in node.Inputs.Where(i => !assigned.ContainsKey(i)))
            {
                throw new ArgumentException($"Node '{node.Name}' ({node.OpType}) reads '{input}', which no input, state, parameter or earlier node provides.");
            }

            foreach (string output in node.Outputs)
            {
                Assign(assigned, output, $"node '{node.Name}'");
            }
        }

        foreach (string result in graph.Outputs.Select(o => o.Name).Concat(graph.States.Select(s => s.Next)))
        {
            if (!graph.Nodes.Any(n => n.Outputs.Contains(result)))
            {
                throw new ArgumentException($"The step output or new state '{result}' is produced by no node.");
            }
        }
    }

    private static void RequireSize(string what, int described, int actual, string member)
    {
        if (described != actual)
        {
            throw new ArgumentException($"The step graph's {what} add up to {described} elements, but the cell's {member} is {actual}.");
        }
    }

    private static void Assign(Dictionary<string, string> assigned, string name, string owner)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{char.ToUpperInvariant(owner[0])}{owner[1..]} has an empty name.");
        }

        if (!assigned.TryAdd(name, owner))
        {
            throw new ArgumentException($"The name '{name}' is given both by {assigned[name]} and by {owner}; every ONNX value is assigned once.");
        }
    }
}
