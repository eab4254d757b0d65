using System;
using System.Collections.Generic;
using System.IO;
using UnrolledRnn.Checkpoints;

namespace UnrolledRnn.Tests.PyTorch;

/// <summary>
/// One window computed by PyTorch (Fixtures/PyTorch, written by tools/pytorch/reference.py): the model's weights
/// as a checkpoint, and a reference file with the input, the initial state, the loss weights, and PyTorch's
/// outputs, final state and gradients. The state parts are PyTorch's h (and c, for an LSTM), concatenated in the
/// cell's order, h then c.
/// </summary>
public sealed class PyTorchFixture
{
    private readonly SafeTensorsFile _reference;

    private PyTorchFixture(string name)
    {
        Name = name;
        WeightsPath = PathOf(name + ".weights.safetensors");
        _reference = SafeTensorsFile.Read(PathOf(name + ".reference.safetensors"));
        StateNames = StatesOf(_reference);
    }

    /// <summary>The fixture's stem, e.g. "lstm_large_f32".</summary>
    public string Name { get; }

    /// <summary>The weights, saved by PyTorch under its state_dict names.</summary>
    public string WeightsPath { get; }

    /// <summary>PyTorch's state tensors in the cell's order: "h", or "h" and "c", or an example cell's ("y", "z").</summary>
    public IReadOnlyList<string> StateNames { get; }

    public static PyTorchFixture Load(string name) => new(name);

    /// <summary>A size the fixture's metadata records ("inputs", "hidden", "outputs", "steps").</summary>
    public int Size(string key) => int.Parse(_reference.Metadata[key], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The directory the test project copies the fixtures to.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch");

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>A reference tensor, widened to double (exact for F32).</summary>
    public double[] Get(string name) => _reference.ToArray<double>(name);

    /// <summary>A reference tensor in the cell's type: F32 into float, F64 into double, both exact.</summary>
    public T[] Get<T>(string name) where T : unmanaged => _reference.ToArray<T>(name);

    /// <summary>The state parts named <c>{prefix}{state}{suffix}</c> ("h0", "c0"; "loss.dL_dh_n"), concatenated.</summary>
    public double[] GetState(string prefix, string suffix) => Concatenate(StateNames, s => Get(prefix + s + suffix));

    /// <inheritdoc cref="GetState(string, string)"/>
    public T[] GetState<T>(string prefix, string suffix) where T : unmanaged => Concatenate(StateNames, s => Get<T>(prefix + s + suffix));

    /// <summary>
    /// The state parts an example cell's fixture lists in its metadata ("states": "y,z"); for the nn.RNN, nn.LSTM
    /// and nn.GRU fixtures, which list none, "h", and "c" when there is a c0.
    /// </summary>
    private static IReadOnlyList<string> StatesOf(SafeTensorsFile reference)
    {
        if (reference.Metadata.TryGetValue("states", out var states))
        {
            return states.Split(',');
        }

        return reference.TryGetTensor("c0", out _) ? new[] { "h", "c" } : new[] { "h" };
    }

    private static T[] Concatenate<T>(IReadOnlyList<string> parts, Func<string, T[]> get)
    {
        var result = new List<T>();
        foreach (var part in parts)
        {
            result.AddRange(get(part));
        }

        return result.ToArray();
    }
}
