using System;
using System.Collections.Generic;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Maps a cell's parameter names to tensor names in a checkpoint. A name is looked up in three places, first
/// match wins:
/// <list type="number">
/// <item>the explicit names given to <see cref="WithNames"/>, a dictionary from cell name to checkpoint name;</item>
/// <item>the PyTorch convention (unless the map is <see cref="Verbatim"/>), for a model with an
/// <c>nn.RNN</c>/<c>nn.LSTM</c>/<c>nn.GRU</c> module named <see cref="RecurrentModule"/> and an <c>nn.Linear</c>
/// head named <see cref="HeadModule"/>:
/// <c>W_ih</c>, <c>W_hh</c>, <c>b_ih</c>, <c>b_hh</c> → <c>rnn.weight_ih_l0</c>, <c>rnn.weight_hh_l0</c>,
/// <c>rnn.bias_ih_l0</c>, <c>rnn.bias_hh_l0</c>; the same with a layer suffix, 1-based digits (<c>W_ih2</c>) or
/// 0-based <c>_l</c>k (<c>W_ih_l1</c>) → layer <c>_l1</c>; <c>W_out</c>, <c>b_out</c> → <c>head.weight</c>,
/// <c>head.bias</c>;</item>
/// <item>otherwise, the parameter's own name (the rule for custom cells: <c>w_ci</c> is saved as <c>w_ci</c>).</item>
/// </list>
/// </summary>
public sealed class CheckpointNames
{
    private static readonly string[] s_recurrentStems = { "W_ih", "W_hh", "b_ih", "b_hh" };
    private static readonly string[] s_recurrentTorchNames = { "weight_ih", "weight_hh", "bias_ih", "bias_hh" };

    private readonly Dictionary<string, string> _explicitNames;
    private readonly bool _pyTorchConvention;

    private CheckpointNames(bool pyTorchConvention, string recurrentModule, string headModule, Dictionary<string, string> explicitNames)
    {
        _pyTorchConvention = pyTorchConvention;
        RecurrentModule = recurrentModule;
        HeadModule = headModule;
        _explicitNames = explicitNames;
    }

    /// <summary>The default: the PyTorch convention with the modules <c>rnn</c> and <c>head</c>.</summary>
    public static CheckpointNames PyTorch { get; } = ForPyTorchModules("rnn", "head");

    /// <summary>Every parameter under its own cell name (<c>W_ih</c> stays <c>W_ih</c>).</summary>
    public static CheckpointNames Verbatim { get; } = new(false, "", "", new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// The PyTorch convention with other module names; an empty name gives unprefixed names, as in the
    /// <c>state_dict()</c> of a bare <c>nn.LSTM</c> (<c>weight_ih_l0</c>) or <c>nn.Linear</c> (<c>weight</c>).
    /// </summary>
    /// <param name="recurrentModule">The attribute name of the recurrent module, e.g. "rnn", "lstm" or "".</param>
    /// <param name="headModule">The attribute name of the linear head, e.g. "head", "fc" or "".</param>
    public static CheckpointNames ForPyTorchModules(string recurrentModule, string headModule)
    {
        ArgumentNullException.ThrowIfNull(recurrentModule);
        ArgumentNullException.ThrowIfNull(headModule);
        return new(true, recurrentModule, headModule, new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>The module name that prefixes the recurrent weights ("rnn" by default).</summary>
    public string RecurrentModule { get; }

    /// <summary>The module name that prefixes the head's weight and bias ("head" by default).</summary>
    public string HeadModule { get; }

    /// <summary>Whether names not given explicitly follow the PyTorch convention (false for <see cref="Verbatim"/>).</summary>
    public bool FollowsPyTorchConvention => _pyTorchConvention;

    /// <summary>The explicit names: cell parameter name to checkpoint name.</summary>
    public IReadOnlyDictionary<string, string> ExplicitNames => _explicitNames;

    /// <summary>A copy of this map in which the given cell names map to the given checkpoint names, ahead of every other rule.</summary>
    /// <param name="names">Cell parameter name to checkpoint tensor name; later entries for the same cell name win.</param>
    public CheckpointNames WithNames(IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var merged = new Dictionary<string, string>(_explicitNames, StringComparer.Ordinal);
        foreach (var (cellName, checkpointName) in names)
        {
            ArgumentException.ThrowIfNullOrEmpty(checkpointName, nameof(names));
            merged[cellName] = checkpointName;
        }

        return new CheckpointNames(_pyTorchConvention, RecurrentModule, HeadModule, merged);
    }

    /// <summary>The checkpoint name of the cell parameter <paramref name="parameterName"/>.</summary>
    /// <param name="parameterName">A name from the cell's <c>ParameterTensors</c>.</param>
    public string ToCheckpointName(string parameterName)
    {
        if (_explicitNames.TryGetValue(parameterName, out var explicitName))
        {
            return explicitName;
        }

        if (_pyTorchConvention && TryPyTorchName(parameterName) is string torchName)
        {
            return torchName;
        }

        return parameterName;
    }

    /// <summary>
    /// The checkpoint name of every parameter of <paramref name="tensors"/>, in order; throws if two parameters
    /// would share a name.
    /// </summary>
    /// <param name="tensors">A cell's <c>ParameterTensors</c>.</param>
    /// <exception cref="ArgumentException">Two parameters map to the same checkpoint name.</exception>
    public string[] ToCheckpointNames(IReadOnlyList<ParameterTensor> tensors)
    {
        var names = new string[tensors.Count];
        var owners = new Dictionary<string, string>(tensors.Count, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = ToCheckpointName(tensors[i].Name);
            if (!owners.TryAdd(names[i], tensors[i].Name))
            {
                throw new ArgumentException(
                    $"The cell parameters '{owners[names[i]]}' and '{tensors[i].Name}' both map to the checkpoint name '{names[i]}'; give one an explicit name.");
            }
        }

        return names;
    }

    private string? TryPyTorchName(string name)
    {
        if (name == "W_out")
        {
            return Join(HeadModule, "weight");
        }

        if (name == "b_out")
        {
            return Join(HeadModule, "bias");
        }

        for (int i = 0; i < s_recurrentStems.Length; i++)
        {
            if (name.StartsWith(s_recurrentStems[i], StringComparison.Ordinal)
                && TryLayer(name.AsSpan(s_recurrentStems[i].Length)) is int layer)
            {
                return Join(RecurrentModule, $"{s_recurrentTorchNames[i]}_l{layer}");
            }
        }

        return null;
    }

    /// <summary>The 0-based layer of a suffix: "" → 0; "k" (1-based, k ≥ 1, no leading zero) → k − 1; "_lk" (0-based) → k.</summary>
    private static int? TryLayer(ReadOnlySpan<char> suffix)
    {
        if (suffix.IsEmpty)
        {
            return 0;
        }

        if (suffix.StartsWith("_l") && TryDigits(suffix.Slice(2), out int zeroBased))
        {
            return zeroBased;
        }

        if (suffix[0] != '0' && TryDigits(suffix, out int oneBased))
        {
            return oneBased - 1;
        }

        return null;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 4 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = 10 * value + (c - '0');
        }

        return true;
    }

    private static string Join(string module, string name) => module.Length == 0 ? name : module + "." + name;
}
