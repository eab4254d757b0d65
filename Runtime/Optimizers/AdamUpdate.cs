using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace UnrolledRnn.Training;

/// <summary>The update shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>; they differ only in the weight decay.</summary>
internal static class AdamUpdate
{
    /// <summary>
    /// One Adam update, PyTorch's formulation. With <paramref name="decoupled"/> the weight decay shrinks the
    /// parameters directly (AdamW); otherwise it is added to the gradient (Adam's L2). Returns whether every new
    /// parameter is finite.
    /// </summary>
    public static bool Apply<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment,
        double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Bias corrections in double, as PyTorch computes them in Python floats.
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        T stepSize = T.CreateChecked(learningRate / biasCorrection1);
        T inverseSqrtCorrection2 = T.CreateChecked(1 / Math.Sqrt(biasCorrection2));
        T b1 = T.CreateChecked(beta1), oneMinusB1 = T.CreateChecked(1 - beta1);
        T b2 = T.CreateChecked(beta2), oneMinusB2 = T.CreateChecked(1 - beta2);
        T eps = T.CreateChecked(epsilon);
        T shrink = T.CreateChecked(decoupled ? 1 - learningRate * weightDecay : 1);
        T l2 = T.CreateChecked(decoupled ? 0 : weightDecay);

        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T m = ref MemoryMarshal.GetReference(firstMoment);
        ref T v = ref MemoryMarshal.GetReference(secondMoment);
        int n = parameters.Length, i = 0;
        var finiteProbe = Vector<T>.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vStepSize = new Vector<T>(stepSize);
            var vInverseSqrtCorrection2 = new Vector<T>(inverseSqrtCorrection2);
            var vB1 = new Vector<T>(b1);
            var vOneMinusB1 = new Vector<T>(oneMinusB1);
            var vB2 = new Vector<T>(b2);
            var vOneMinusB2 = new Vector<T>(oneMinusB2);
            var vEps = new Vector<T>(eps);
            var vShrink = new Vector<T>(shrink);
            var vL2 = new Vector<T>(l2);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pi = Vector.LoadUnsafe(ref p, (nuint)i);
                var gi = Vector.LoadUnsafe(ref g, (nuint)i) + vL2 * pi;
                pi *= vShrink;
                var mi = vB1 * Vector.LoadUnsafe(ref m, (nuint)i) + vOneMinusB1 * gi;
                var vi = vB2 * Vector.LoadUnsafe(ref v, (nuint)i) + vOneMinusB2 * (gi * gi);
                mi.StoreUnsafe(ref m, (nuint)i);
                vi.StoreUnsafe(ref v, (nuint)i);
                var denominator = Vector.SquareRoot(vi) * vInverseSqrtCorrection2 + vEps;
                pi -= vStepSize * (mi / denominator);
                pi.StoreUnsafe(ref p, (nuint)i);
                finiteProbe += pi - pi; // 0 for a finite value, NaN otherwise
            }
        }

        T probe = T.Zero;
        for (; i < n; i++)
        {
            T pi = parameters[i];
            T gi = gradients[i] + l2 * pi;
            pi *= shrink;
            T mi = b1 * firstMoment[i] + oneMinusB1 * gi;
            T vi = b2 * secondMoment[i] + oneMinusB2 * (gi * gi);
            firstMoment[i] = mi;
            secondMoment[i] = vi;
            T denominator = T.Sqrt(vi) * inverseSqrtCorrection2 + eps;
            pi -= stepSize * (mi / denominator);
            parameters[i] = pi;
            probe += pi - pi;
        }

        return probe == T.Zero && Vector.EqualsAll(finiteProbe, Vector<T>.Zero);
    }
}
