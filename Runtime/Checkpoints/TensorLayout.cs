using System;
using System.Collections.Generic;
using System.Numerics;
using System.Text;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// Where each named tensor of a checkpoint goes in a flat buffer, and the transactional copy between the two:
/// every check is made, and every value converted into a staging array, before the destination is written.
/// Shared by the parameter and optimizer-state checkpoints.
/// </summary>
internal static class TensorLayout
{
    /// <summary>A tensor's shape in a checkpoint: [rows] for a vector parameter, [rows, columns] for a matrix.</summary>
    public static int[] ShapeOf(ParameterTensor tensor) =>
        tensor.Role == ParameterRole.Vector ? new[] { tensor.Rows } : new[] { tensor.Rows, tensor.Columns };

    /// <summary>Adds the slices of <paramref name="source"/> given by <paramref name="tensors"/> under <paramref name="names"/>.</summary>
    public static void AddSlices<T>(SafeTensorsWriter writer, ReadOnlySpan<T> source, IReadOnlyList<ParameterTensor> tensors, IReadOnlyList<string> names)
        where T : unmanaged
    {
        for (int i = 0; i < tensors.Count; i++)
        {
            writer.Add(names[i], source.Slice(tensors[i].Offset, tensors[i].Length), ShapeOf(tensors[i]));
        }
    }

    /// <summary>
    /// Checks that <paramref name="file"/> holds exactly the tensors <paramref name="names"/> (extra ones only if
    /// allowed), with the shapes of <paramref name="tensors"/>, a loadable dtype and finite values (unless
    /// allowed), and decodes them into a new array of <paramref name="length"/> elements laid out as
    /// <paramref name="tensors"/> say. <paramref name="describe"/> says what the i-th tensor is, for messages:
    /// "cell parameter W_ih".
    /// </summary>
    public static T[] Decode<T>(SafeTensorsFile file, IReadOnlyList<ParameterTensor> tensors, IReadOnlyList<string> names, int length,
        CheckpointLoadOptions options, Func<int, string> describe)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireNoneMissing(file, tensors, names, describe, SafeTensorsDTypes.Of<T>());
        if (!options.AllowUnexpectedTensors)
        {
            RequireNoneUnexpected(file, names);
        }

        var staging = new T[length];
        for (int i = 0; i < tensors.Count; i++)
        {
            var tensor = file.GetTensor(names[i]);
            var expectedShape = ShapeOf(tensors[i]);
            string what = $"{file.Source}: tensor '{names[i]}' ({describe(i)})";
            if (!ShapeEquals(tensor.Shape, expectedShape))
            {
                throw new CheckpointException(
                    $"{what} has shape {tensor.ShapeText}; expected [{string.Join(", ", expectedShape)}].", names[i]);
            }

            if (TensorBytes.WhyNotLoadable<T>(tensor.DType, options.AllowPrecisionLoss) is string reason)
            {
                throw new CheckpointException($"{what} {reason}.", names[i]);
            }

            var values = staging.AsSpan(tensors[i].Offset, tensors[i].Length);
            int overflow = TensorBytes.Decode(file.GetBytes(tensor), tensor.DType, values);
            if (overflow >= 0)
            {
                throw new CheckpointException($"{what}: element {overflow} is finite in F64 but too large for float.", names[i]);
            }

            if (!options.AllowNonFiniteValues)
            {
                RequireFinite<T>(values, tensors[i], what, names[i]);
            }
        }

        return staging;
    }

    private static void RequireNoneMissing(SafeTensorsFile file, IReadOnlyList<ParameterTensor> tensors, IReadOnlyList<string> names,
        Func<int, string> describe, SafeTensorsDType dtype)
    {
        var missing = new StringBuilder();
        string? first = null;
        for (int i = 0; i < names.Count; i++)
        {
            if (!file.TryGetTensor(names[i], out _))
            {
                first ??= names[i];
                missing.Append(missing.Length == 0 ? "" : "; ")
                       .Append($"'{names[i]}' ({describe(i)}, expected {dtype} {ShapeText(tensors[i])})");
            }
        }

        if (first is not null)
        {
            throw new CheckpointException($"{file.Source}: missing tensor {missing}.", first);
        }
    }

    private static void RequireNoneUnexpected(SafeTensorsFile file, IReadOnlyList<string> names)
    {
        var expected = new HashSet<string>(names, StringComparer.Ordinal);
        var unexpected = new List<string>();
        foreach (var tensor in file.Tensors)
        {
            if (!expected.Contains(tensor.Name))
            {
                unexpected.Add(tensor.Name);
            }
        }

        if (unexpected.Count > 0)
        {
            throw new CheckpointException(
                $"{file.Source}: unexpected tensor '{string.Join("', '", unexpected)}'; expected only {string.Join(", ", names)} " +
                "(set AllowUnexpectedTensors to ignore extra tensors)" +
                LearnedInitialStateHint(unexpected),
                unexpected[0]);
        }
    }

    /// <summary>How to load what a file saved with a learned initial state holds, when that is what was unexpected.</summary>
    private static string LearnedInitialStateHint(List<string> unexpected)
    {
        if (unexpected.Contains(Checkpoint.InitialStateName))
        {
            return $". '{Checkpoint.InitialStateName}' is a learned initial state: load it with Checkpoint.Load(cell, initialState, ...).";
        }

        string? buffer = unexpected.Find(name => name.StartsWith(OptimizerCheckpoint.InitialStateBufferPrefix, StringComparison.Ordinal));
        return buffer is null
            ? "."
            : $". '{buffer}' is the optimizer state of a learned initial state: load it with OptimizerCheckpoint.Load(optimizer, cell, initialStateOptimizer, ...).";
    }

    /// <summary>Rejects a tensor holding NaN or an infinity, naming the first such element and counting them all.</summary>
    private static void RequireFinite<T>(ReadOnlySpan<T> values, ParameterTensor tensor, string what, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = NonFiniteGuard.IndexOfNonFinite(values);
        if (first < 0)
        {
            return;
        }

        int count = 0;
        for (int i = first; i < values.Length; i++)
        {
            count += T.IsFinite(values[i]) ? 0 : 1;
        }

        T value = values[first];
        string kind = T.IsNaN(value) ? "NaN" : T.IsPositive(value) ? "+infinity" : "-infinity";
        string position = tensor.Role == ParameterRole.Vector ? "" : $" (row {first / tensor.Columns}, column {first % tensor.Columns})";
        throw new CheckpointException(
            $"{what}: element {first}{position} is {kind}; expected finite values (non-finite elements: {count} of {values.Length}; " +
            "set AllowNonFiniteValues to load them anyway).",
            name);
    }

    private static string ShapeText(ParameterTensor tensor) => "[" + string.Join(", ", ShapeOf(tensor)) + "]";

    private static bool ShapeEquals(IReadOnlyList<long> actual, int[] expected)
    {
        if (actual.Count != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (actual[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }
}
