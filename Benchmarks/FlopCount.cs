using System;

namespace UnrolledRnn.Benchmarks;

/// <summary>
/// The floating-point operations of the matrix products of one update and one step, a multiply-add counted as
/// 2 FLOPs, everything else (biases, nonlinearities, element-wise gates, loss, SGD) left out. For each weight
/// matrix of R × C elements, per time step:
/// <list type="bullet">
/// <item>forward: the product with a vector, 2RC;</item>
/// <item>backward: the outer-product accumulation of its gradient, 2RC, and, for every matrix that multiplies
/// something differentiable (the recurrent matrix, the output head, not the input matrix W_ih, since no gradient
/// flows to the inputs), the transposed product, 2RC.</item>
/// </list>
/// So an update costs k2 · 2 · (2·|W_ih| + 3·|W_hh| + 3·|W_out|) and a step 2 · (|W_ih| + |W_hh| + |W_out|), with
/// |W| = R·C (docs/performance.md).
/// </summary>
public static class FlopCount
{
    /// <summary>FLOPs of one update (Forward, Backward over k2 steps) of <paramref name="cell"/>.</summary>
    public static double PerUpdate(IUnrolledCell<float> cell)
    {
        double perStep = 0;
        foreach (var tensor in cell.ParameterTensors)
        {
            if (tensor.Role == ParameterRole.Vector)
            {
                continue;
            }

            bool multipliesInputs = tensor.Columns == cell.InputSize && tensor.Role == ParameterRole.InputWeight;
            perStep += 2.0 * tensor.Length * (multipliesInputs ? 2 : 3);
        }

        return perStep * cell.TruncationLength;
    }

    /// <summary>FLOPs of one streaming step of <paramref name="cell"/>: the forward products only.</summary>
    public static double PerStep(IUnrolledCell<float> cell)
    {
        double flops = 0;
        foreach (var tensor in cell.ParameterTensors)
        {
            if (tensor.Role != ParameterRole.Vector)
            {
                flops += 2.0 * tensor.Length;
            }
        }

        return flops;
    }
}
