using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Models;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// Where a batched step finds its values: every value of a step is a feature-major block (element u of stream s
/// at u × batch + s), so an offset or a length of the single-stream layout is multiplied by <c>batch</c>; the vector
/// parameters are broadcast to every stream in one block, in declaration order, and so are their gradients.
/// </summary>
internal static class BatchedLayout
{
    /// <summary>The step methods' parameter holding the number of streams.</summary>
    public const string Batch = "batch";

    /// <summary>The block of every vector parameter broadcast to the streams.</summary>
    public const string Broadcast = "broadcast";

    /// <summary>The block of every vector parameter's gradient, per stream, summed over the streams by Backward.</summary>
    public const string VectorGradients = "vectorGradients";

    /// <summary><c>n * batch</c>, as generated code writes it.</summary>
    public static string Scaled(int elements) => elements switch
    {
        0 => "0",
        1 => Batch,
        _ => elements + " * " + Batch,
    };

    /// <summary>The vector parameters (biases, gains), in declaration order: the order of their blocks.</summary>
    public static IEnumerable<ParameterDeclaration> VectorParameters(CellGraph graph) => graph.Model.Parameters.Where(p => !p.IsMatrix);

    /// <summary>Elements of every vector parameter together, per stream.</summary>
    public static int VectorParameterSize(CellGraph graph) => VectorParameters(graph).Sum(p => p.Length);

    /// <summary>Where a vector parameter's block starts, per stream (times batch in the broadcast block).</summary>
    public static int VectorOffset(CellGraph graph, string name) => VectorParameters(graph).TakeWhile(p => p.Name != name).Sum(p => p.Length);
}
