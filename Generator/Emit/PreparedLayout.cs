using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// The snapshot a prepared inference step reads (docs/design.md, "Prepared inference"): the parameters as they are, then,
/// for each sum of products the step computes over transposed weights, its weights stacked and transposed,
/// [W1 W2]ᵀ (row k: what multiplies element k of [v1; v2]), and, where two bias vectors are added, their sum. A sum
/// qualifies when one kernel call computes it (one or two products with a weight, at most two addends, all of them
/// vector parameters) and it has at least <see cref="MinimumRows"/> rows: a head of one to three outputs keeps its
/// row-major weights, which the stacked kernel would read one scalar at a time.
/// </summary>
internal sealed class PreparedLayout
{
    /// <summary>Rows below which a sum keeps the row-major product: one Vector128 of float.</summary>
    public const int MinimumRows = 4;

    private readonly Dictionary<Node, PreparedSum> _sums = new();

    private PreparedLayout(CellGraph graph)
    {
        int offset = Aligned(graph.ParameterCount);
        var weightNames = new HashSet<string>();
        foreach (var node in graph.Materialized)
        {
            if (ForwardEmitter.SumOfProducts(node) is not { } sum || _sums.ContainsKey(sum) || sum.Length < MinimumRows)
            {
                continue;
            }

            var products = sum.Children.Where(c => c.IsFused && c.Kind == NodeKind.MatVec).ToList();
            var biases = sum.Children.Where(c => c.Kind == NodeKind.ParameterVector).ToList();
            if (products.Count + biases.Count != sum.Children.Count || !StepKernels.SingleStream.SumsInOneCall(products.Count, biases.Count))
            {
                continue;
            }

            int columns = products.Sum(p => p.Matrix!.Columns);
            var weights = new PreparedWeights(UniqueName(string.Join("_", products.Select(p => p.Matrix!.Name)) + "_T", weightNames), offset, sum.Length, products);
            offset = Aligned(offset + columns * sum.Length);
            PreparedBias? bias = null;
            if (biases.Count == 1)
            {
                bias = new PreparedBias(biases[0].LeafName!, graph.ParameterOffset(biases[0].LeafName!), sum.Length, biases);
            }
            else if (biases.Count == 2)
            {
                bias = new PreparedBias(biases[0].LeafName + "_plus_" + biases[1].LeafName, offset, sum.Length, biases);
                offset = Aligned(offset + sum.Length);
            }

            _sums[sum] = new PreparedSum(sum, weights, bias);
        }

        Size = offset;
    }

    public static PreparedLayout Build(CellGraph graph) => new(graph);

    /// <summary>
    /// The name of a block of stacked weights, a local of the inference step: a weight in two sums (sigmoid(W x + b_f)
    /// and sigmoid(W x + b_i)) has a block for each, the second named W_T_2.
    /// </summary>
    private static string UniqueName(string name, HashSet<string> taken)
    {
        string unique = name;
        for (int suffix = 2; !taken.Add(unique); suffix++)
        {
            unique = name + "_" + suffix;
        }

        return unique;
    }

    /// <summary>
    /// Every derived block starts on a 64-byte boundary (the snapshot's buffer is 64-byte aligned): the stacked weights
    /// right after a float LSTM H = 32's 4,802 parameters were 8 bytes off, so every vector load of them crossed a cache
    /// line, and the stream step was no faster than the row-major one.
    /// </summary>
    private static int Aligned(int elements) => (elements + AlignmentElements - 1) / AlignmentElements * AlignmentElements;

    /// <summary>Elements in 64 bytes of float (a multiple of 64 bytes of double as well).</summary>
    private const int AlignmentElements = 16;

    /// <summary>Elements of the snapshot: the parameters, then the derived weights and biases.</summary>
    public int Size { get; }

    /// <summary>Every prepared sum, in the order of the step.</summary>
    public IEnumerable<PreparedSum> Sums => _sums.Values;

    /// <summary>The prepared form of a sum of products; null when it keeps the row-major product.</summary>
    public PreparedSum? Find(Node sum) => _sums.TryGetValue(sum, out var prepared) ? prepared : null;
}

/// <summary>A sum of products computed over stacked, transposed weights: sum = [W1 W2]ᵀᵀ [v1; v2] + bias.</summary>
internal sealed record PreparedSum(Node Sum, PreparedWeights Weights, PreparedBias? Bias);

/// <summary>[W1 W2]ᵀ in the snapshot: <see cref="Rows"/> columns, one row per element of the products' operands.</summary>
internal sealed record PreparedWeights(string Name, int Offset, int Rows, IReadOnlyList<Node> Products)
{
    public int Length => Products.Sum(p => p.Matrix!.Columns) * Rows;
}

/// <summary>The bias of a prepared sum: one vector parameter as it is, or the sum of two, computed by the snapshot.</summary>
internal sealed record PreparedBias(string Name, int Offset, int Length, IReadOnlyList<Node> Terms)
{
    /// <summary>Whether the snapshot computes it (two terms) rather than reading the parameter.</summary>
    public bool IsDerived => Terms.Count == 2;
}
