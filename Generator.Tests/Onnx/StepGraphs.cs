using System;
using System.Collections.Generic;
using UnrolledRnn.Onnx;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// The step graphs of docs/equations.md's Elman (tanh), LSTM and GRU cells, written by hand exactly as the generator
/// is to emit them: one node per operation of the equations, left to right, each named after the value it
/// produces (the expression's text, or the assigned name), slices through int64 <c>Constant</c> bounds, states
/// read as "{s}_prev" and written as "{s}", parameters under their cell names.
/// </summary>
public static class StepGraphs
{
    /// <summary>h = tanh(W_ih * x + b_ih + W_hh * h + b_hh); y = W_out * h + b_out.</summary>
    public static OnnxStepGraph Elman(int input, int hidden, int output, string activation = "Tanh") => new(
        new[] { new OnnxValue("x", input) },
        new[] { new OnnxState("h_prev", "h", hidden) },
        new[] { new OnnxValue("y", output) },
        new[] { "W_ih", "W_hh", "b_ih", "b_hh", "W_out", "b_out" },
        new OnnxNode[]
        {
            new("W_ih * x", "MatMul", "W_ih * x", "W_ih", "x"),
            new("W_ih * x + b_ih", "Add", "W_ih * x + b_ih", "W_ih * x", "b_ih"),
            new("W_hh * h", "MatMul", "W_hh * h", "W_hh", "h_prev"),
            new("W_ih * x + b_ih + W_hh * h", "Add", "W_ih * x + b_ih + W_hh * h", "W_ih * x + b_ih", "W_hh * h"),
            new("W_ih * x + b_ih + W_hh * h + b_hh", "Add", "W_ih * x + b_ih + W_hh * h + b_hh", "W_ih * x + b_ih + W_hh * h", "b_hh"),
            new("h", activation, "h", "W_ih * x + b_ih + W_hh * h + b_hh"),
            new("W_out * h", "MatMul", "W_out * h", "W_out", "h"),
            new("y", "Add", "y", "W_out * h", "b_out"),
        });

    /// <summary>
    /// gates = W_ih * x + b_ih + W_hh * h + b_hh; i, f, g, o = σ, σ, tanh, σ of its four slices;
    /// c = f * c + i * g; h = o * tanh(c); y = W_out * h + b_out.
    /// </summary>
    public static OnnxStepGraph Lstm(int input, int hidden, int output, string candidateActivation = "Tanh")
    {
        var nodes = new List<OnnxNode>
        {
            new("W_ih * x", "MatMul", "W_ih * x", "W_ih", "x"),
            new("W_ih * x + b_ih", "Add", "W_ih * x + b_ih", "W_ih * x", "b_ih"),
            new("W_hh * h", "MatMul", "W_hh * h", "W_hh", "h_prev"),
            new("W_ih * x + b_ih + W_hh * h", "Add", "W_ih * x + b_ih + W_hh * h", "W_ih * x + b_ih", "W_hh * h"),
            new("gates", "Add", "gates", "W_ih * x + b_ih + W_hh * h", "b_hh"),
        };
        string[] gates = { "i", "f", "g", "o" };
        for (int k = 0; k < 4; k++)
        {
            string slice = Slice(nodes, "gates", k * hidden, (k + 1) * hidden);
            nodes.Add(new(gates[k], gates[k] == "g" ? candidateActivation : "Sigmoid", gates[k], slice));
        }

        nodes.AddRange(new OnnxNode[]
        {
            new("f * c", "Mul", "f * c", "f", "c_prev"),
            new("i * g", "Mul", "i * g", "i", "g"),
            new("c", "Add", "c", "f * c", "i * g"),
            new("tanh(c)", "Tanh", "tanh(c)", "c"),
            new("h", "Mul", "h", "o", "tanh(c)"),
            new("W_out * h", "MatMul", "W_out * h", "W_out", "h"),
            new("y", "Add", "y", "W_out * h", "b_out"),
        });
        return new(
            new[] { new OnnxValue("x", input) },
            new[] { new OnnxState("h_prev", "h", hidden), new OnnxState("c_prev", "c", hidden) },
            new[] { new OnnxValue("y", output) },
            new[] { "W_ih", "W_hh", "b_ih", "b_hh", "W_out", "b_out" },
            nodes);
    }

    /// <summary>
    /// gi = W_ih * x + b_ih; gh = W_hh * h + b_hh; r, z = σ of the sums of their first two slices;
    /// n = tanh(gi[2H..] + r * gh[2H..]); h = (1 - z) * n + z * h; y = W_out * h + b_out.
    /// </summary>
    public static OnnxStepGraph Gru(int input, int hidden, int output)
    {
        var nodes = new List<OnnxNode>
        {
            new("W_ih * x", "MatMul", "W_ih * x", "W_ih", "x"),
            new("gi", "Add", "gi", "W_ih * x", "b_ih"),
            new("W_hh * h", "MatMul", "W_hh * h", "W_hh", "h_prev"),
            new("gh", "Add", "gh", "W_hh * h", "b_hh"),
        };
        string[] gates = { "r", "z" };
        for (int k = 0; k < 2; k++)
        {
            string a = Slice(nodes, "gi", k * hidden, (k + 1) * hidden), b = Slice(nodes, "gh", k * hidden, (k + 1) * hidden);
            nodes.Add(new($"{a} + {b}", "Add", $"{a} + {b}", a, b));
            nodes.Add(new(gates[k], "Sigmoid", gates[k], $"{a} + {b}"));
        }

        string gin = Slice(nodes, "gi", 2 * hidden, 3 * hidden), ghn = Slice(nodes, "gh", 2 * hidden, 3 * hidden);
        nodes.AddRange(new OnnxNode[]
        {
            new($"r * {ghn}", "Mul", $"r * {ghn}", "r", ghn),
            new($"{gin} + r * {ghn}", "Add", $"{gin} + r * {ghn}", gin, $"r * {ghn}"),
            new("n", "Tanh", "n", $"{gin} + r * {ghn}"),
            OnnxNode.Constant("1", OnnxConstant.RealScalar(1)),
            new("1 - z", "Sub", "1 - z", "1", "z"),
            new("(1 - z) * n", "Mul", "(1 - z) * n", "1 - z", "n"),
            new("z * h", "Mul", "z * h", "z", "h_prev"),
            new("h", "Add", "h", "(1 - z) * n", "z * h"),
            new("W_out * h", "MatMul", "W_out * h", "W_out", "h"),
            new("y", "Add", "y", "W_out * h", "b_out"),
        });
        return new(
            new[] { new OnnxValue("x", input) },
            new[] { new OnnxState("h_prev", "h", hidden) },
            new[] { new OnnxValue("y", output) },
            new[] { "W_ih", "W_hh", "b_ih", "b_hh", "W_out", "b_out" },
            nodes);
    }

    /// <summary>Adds <c>value[start..end]</c>: a Slice with int64 Constant bounds; returns the slice's name.</summary>
    private static string Slice(List<OnnxNode> nodes, string value, int start, int end)
    {
        string slice = $"{value}[{start}..{end}]";
        nodes.Add(OnnxNode.Constant(slice + ".starts", OnnxConstant.Int64Vector(start)));
        nodes.Add(OnnxNode.Constant(slice + ".ends", OnnxConstant.Int64Vector(end)));
        nodes.Add(new(slice, "Slice", slice, value, slice + ".starts", slice + ".ends"));
        return slice;
    }
}
