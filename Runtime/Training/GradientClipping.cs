using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace UnrolledRnn.Training;

/// <summary>
/// The global norm of a flat gradient and the two ways of clipping it, allocation-free. The trainer applies them
/// to the cell's whole gradient before the optimizer step.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// The Euclidean norm √(Σ g_i²) of the whole vector: NaN if an element is NaN, infinity if one is infinite.
    /// When the sum of squares overflows but every element is finite (float gradients above about 1e19), the norm
    /// is recomputed on the vector scaled by its largest magnitude, so a finite gradient always has a finite norm.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="gradients">The gradient; 0 if empty.</param>
    public static T GlobalNorm<T>(ReadOnlySpan<T> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradients.IsEmpty)
        {
            return T.Zero;
        }

        T norm = TensorPrimitives.Norm(gradients);
        if (T.IsFinite(norm))
        {
            return norm;
        }

        T largest = T.Abs(TensorPrimitives.MaxMagnitude(gradients)); // MaxMagnitude returns the element, with its sign
        if (!T.IsFinite(largest))
        {
            return T.IsNaN(largest) ? largest : T.PositiveInfinity;
        }

        T sum = T.Zero;
        for (int i = 0; i < gradients.Length; i++)
        {
            T scaled = gradients[i] / largest;
            sum += scaled * scaled;
        }

        return largest * T.Sqrt(sum);
    }

    /// <summary>
    /// If <paramref name="norm"/> exceeds <paramref name="maxNorm"/>, multiplies every element by
    /// maxNorm / norm, so that the global norm becomes maxNorm (to rounding: a few units in the last place), and
    /// returns true; otherwise leaves the vector alone and returns false.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="gradients">The gradient, scaled in place.</param>
    /// <param name="norm">Its global norm, from <see cref="GlobalNorm{T}"/>: finite.</param>
    /// <param name="maxNorm">The largest norm allowed: positive.</param>
    public static bool ClipByNorm<T>(Span<T> gradients, T norm, T maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(norm > maxNorm))
        {
            return false;
        }

        Scale(gradients, maxNorm / norm);
        return true;
    }

    /// <summary>
    /// Clamps every element to [-maxValue, maxValue]; returns whether any element was changed.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="gradients">The gradient, clamped in place: finite.</param>
    /// <param name="maxValue">The largest magnitude allowed: positive.</param>
    public static bool ClipByValue<T>(Span<T> gradients, T maxValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradients.IsEmpty || !(T.Abs(TensorPrimitives.MaxMagnitude<T>(gradients)) > maxValue))
        {
            return false;
        }

        T minValue = -maxValue;
        ref T g = ref MemoryMarshal.GetReference(gradients);
        int n = gradients.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vMax = new Vector<T>(maxValue);
            var vMin = new Vector<T>(minValue);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector.Min(Vector.Max(Vector.LoadUnsafe(ref g, (nuint)i), vMin), vMax).StoreUnsafe(ref g, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            gradients[i] = T.Clamp(gradients[i], minValue, maxValue);
        }

        return true;
    }

    /// <summary>
    /// Multiplies every element by <paramref name="factor"/> with plain vector stores. (A single
    /// <see cref="TensorPrimitives"/> call writing more than about 256 KB uses non-temporal stores, which would
    /// evict the gradient the optimizer reads next.)
    /// </summary>
    internal static void Scale<T>(Span<T> values, T factor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x = ref MemoryMarshal.GetReference(values);
        int n = values.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vFactor = new Vector<T>(factor);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                (Vector.LoadUnsafe(ref x, (nuint)i) * vFactor).StoreUnsafe(ref x, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            values[i] *= factor;
        }
    }
}
