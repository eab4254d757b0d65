using System;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Primitives;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Writes one fused loop: a chain of element-wise statements over <c>length</c> elements, computed chunk by chunk with
/// the values in registers, widest accelerated register first (the width dispatch of the runtime's kernels), then
/// a scalar tail for what no register fills. Only the widths that fit the length are written.
/// </summary>
internal static class FusedLoop
{
    /// <summary>
    /// The longest statement a fused loop computes; a longer one calls its kernels, where the call amortises
    /// (measured in docs/performance.md, "Fused loops").
    /// </summary>
    public const int MaxLength = 32;

    /// <summary>
    /// Whether a stored value is computed in a fused loop: an element-wise statement no longer than
    /// <see cref="MaxLength"/> whose functions all have a register form (a product with a weight matrix inside it is
    /// computed first, by its kernel, into the value's storage).
    /// </summary>
    public static bool CanFuse(Node node, bool fastActivations) =>
        node.Kind is NodeKind.Sum or NodeKind.Multiply or NodeKind.Divide or NodeKind.Affine or NodeKind.Function or NodeKind.Copy
        && node.Length <= MaxLength
        && !(node.Kind == NodeKind.Sum && node.Children.All(c => c.IsFused && c.Kind == NodeKind.MatVec))
        && HasRegisterForms(node, fastActivations);

    private static bool HasRegisterForms(Node node, bool fastActivations) =>
        (node.Kind != NodeKind.Function || HasRegisterForm(node.Primitive!, fastActivations))
        && node.Children.Where(c => c.IsFused).All(c => HasRegisterForms(c, fastActivations));

    private static bool HasRegisterForm(Primitive primitive, bool fastActivations) =>
        primitive.Forward is null
        || (fastActivations && primitive.FastRegister is not null)
        || primitive.Register is not null;

    /// <summary>
    /// Writes the loop; <paramref name="body"/> writes the statements of one chunk at offset
    /// <see cref="GeneratedNames.FusedIndex"/> for a width. Each widest accelerated width is its own branch (the JIT
    /// keeps only the one the machine takes), continued by narrower widths for what is left: the sizes are constants,
    /// so each branch holds exactly the passes it needs.
    /// </summary>
    public static void Write(SourceWriter writer, int length, Precision precision, Action<RegisterWidth, SourceWriter> body)
    {
        writer.Open(header: "");
        writer.Line($"int {GeneratedNames.FusedIndex} = 0;");
        var widest = RegisterWidth.All.Where(w => w.IsScalar ? RegisterWidth.All.All(v => v.IsScalar || v.Lanes(precision) > length) : w.Lanes(precision) <= length).ToList();
        for (int i = 0; i < widest.Count; i++)
        {
            bool branch = widest.Count > 1;
            if (branch)
            {
                writer.Open(i == 0 ? $"if ({widest[i].Vector}.IsHardwareAccelerated)" : i < widest.Count - 1 ? $"else if ({widest[i].Vector}.IsHardwareAccelerated)" : "else");
            }

            WritePasses(writer, length, precision, widest[i], body);
            if (branch)
            {
                writer.Close();
            }
        }

        writer.Close();
    }

    /// <summary>The passes from <paramref name="first"/> on: each width while a whole register of it is left, then the scalar tail.</summary>
    private static void WritePasses(SourceWriter writer, int length, Precision precision, RegisterWidth first, Action<RegisterWidth, SourceWriter> body)
    {
        string j = GeneratedNames.FusedIndex;
        int left = length;
        foreach (var width in RegisterWidth.All.SkipWhile(w => w != first))
        {
            int lanes = width.Lanes(precision);
            if (left < lanes)
            {
                continue;
            }

            writer.Open(width.IsScalar ? $"for (; {j} < {length}; {j}++)" : $"for (; {j} <= {length - lanes}; {j} += {lanes})");
            var chunk = new SourceWriter();
            body(width, chunk);
            writer.Lines(chunk);
            writer.Close();
            left %= lanes;
        }
    }
}
