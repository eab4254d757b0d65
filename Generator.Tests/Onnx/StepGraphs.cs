using System;
using System.Collections.Generic;
using UnrolledRnn.Onnx;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// The step graphs of docs/equations.md's Elman (tanh) and LSTM cells, written by hand exactly as the generator
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
            string slice = $"gates[{k * hidden}..{(k + 1) * hidden}]";
            nodes.Add(OnnxNode.Constant(slice + ".starts", OnnxConstant.Int64Vector(k * hidden)));
            nodes.Add(OnnxNode.Constant(slice + ".ends", OnnxConstant.Int64Vector((k + 1) * hidden)));
            nodes.Add(new(slice, "Slice", slice, "gates", slice + ".starts", slice + ".ends"));
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
}
