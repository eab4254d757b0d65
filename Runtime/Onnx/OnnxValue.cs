namespace UnrolledRnn.Onnx;

/// <summary>An input or output of a cell's step: a vector of <paramref name="Size"/> elements named <paramref name="Name"/> in the graph.</summary>
/// <param name="Name">The value's name in the step graph, e.g. "x" or "y".</param>
/// <param name="Size">Its number of elements.</param>
public sealed record OnnxValue(string Name, int Size);

/// <summary>
/// A carried state of a cell's step: the graph reads its previous value under <paramref name="Previous"/> and
/// produces the new one under <paramref name="Next"/> (two names, since every ONNX value is assigned once).
/// </summary>
/// <param name="Previous">The name of s_{t-1}, an input of the step graph, e.g. "h_prev".</param>
/// <param name="Next">The name of s_t, an output of the step graph, e.g. "h".</param>
/// <param name="Size">Its number of elements.</param>
public sealed record OnnxState(string Previous, string Next, int Size);
