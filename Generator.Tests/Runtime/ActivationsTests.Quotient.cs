using System;
using System.Numerics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// y = a / b: the adjoint kernels against their formulas in the same type, to the bit (each lane is one division, one
// product and one sum or difference, as the scalar formula rounds them), at every width and tail, written and added.
public sealed partial class ActivationsTests
{
    [Fact]
    public void Quotient_adjoints_match_their_formulas_bit_for_bit_at_every_width()
    {
        foreach (int length in Lengths)
        {
            CheckQuotientAdjoints<float>(length);
            CheckQuotientAdjoints<double>(length);
        }
    }

    [Fact]
    public void Quotient_divisor_adjoint_is_infinite_where_the_divisor_is_zero()
    {
        // y = 1 / 0 = +∞: dL/db = -dy * (y / b) = -(2 * (∞ / 0)) = -∞, as PyTorch's -grad * ((a / b) / b).
        double[] db = new double[1];
        Activations.QuotientDivisorBackward<double>([double.PositiveInfinity], [0.0], [2.0], db);
        Assert.Equal(double.NegativeInfinity, db[0]);
    }

    private static void CheckQuotientAdjoints<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = Array.ConvertAll(Inputs(length, 11), v => T.CreateTruncating(v));
        T[] b = Array.ConvertAll(Inputs(length, 12), v => T.CreateTruncating(v == 0 ? 0.5 : v));
        T[] dy = Array.ConvertAll(Inputs(length, 13), v => T.CreateTruncating(v));
        T[] before = Array.ConvertAll(Inputs(length, 14), v => T.CreateTruncating(v));
        T[] y = new T[length];
        for (int i = 0; i < length; i++)
        {
            y[i] = a[i] / b[i];
        }

        T[] numeratorAdded = (T[])before.Clone();
        T[] divisorWritten = new T[length];
        T[] divisorAdded = (T[])before.Clone();
        Activations.QuotientNumeratorBackwardAdd<T>(b, dy, numeratorAdded);
        Activations.QuotientDivisorBackward<T>(y, b, dy, divisorWritten);
        Activations.QuotientDivisorBackwardAdd<T>(y, b, dy, divisorAdded);

        for (int i = 0; i < length; i++)
        {
            T divisorTerm = dy[i] * (y[i] / b[i]);
            Assert.Equal(before[i] + dy[i] / b[i], numeratorAdded[i]);
            Assert.Equal(-divisorTerm, divisorWritten[i]);
            Assert.Equal(before[i] - divisorTerm, divisorAdded[i]);
        }

        // In place over the adjoint (the destination may be the same span as dL/dy): each lane computed once, from dL/dy.
        T[] inPlace = (T[])dy.Clone();
        Activations.QuotientDivisorBackward<T>(y, b, inPlace, inPlace);
        Assert.Equal(divisorWritten, inPlace);
    }
}
