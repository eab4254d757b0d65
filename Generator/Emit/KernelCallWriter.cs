using UnrolledRnn.Generator.Graph;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// What the writers of a step's kernel calls (<see cref="ForwardKernelCalls"/>, <see cref="AdjointKernelCalls"/>) share:
/// the cell's graph, the step's locals, the body being written, the kernels of the step and its element type.
/// </summary>
internal abstract class KernelCallWriter
{
    protected CellGraph Graph { get; }

    protected StepScope Scope { get; }

    protected StepKernels Kernels { get; }

    /// <summary>The element type's keyword: <c>float</c> or <c>double</c>.</summary>
    protected string T { get; }

    private readonly SourceWriter _body;

    protected KernelCallWriter(CellGraph graph, StepScope scope, SourceWriter body, StepKernels kernels)
    {
        (Graph, Scope, _body, Kernels) = (graph, scope, body, kernels);
        T = CSharp.Keyword(graph.Model.Precision);
    }

    /// <summary>Writes a blank line between statements.</summary>
    protected void Blank() => _body.Line();

    protected void Line(string line) => _body.Line(line);
}
