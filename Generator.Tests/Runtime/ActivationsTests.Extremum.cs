using System;
using System.Numerics;
using UnrolledRnn.Kernels;
using Xunit;

namespace UnrolledRnn.Tests.Runtime;

// y = max(a, b) / min(a, b): the operands' adjoint kernels against PyTorch 1.13 and against their rule, with exact ties,
// at every width and tail, written and added.
public sealed partial class ActivationsTests
{
    [Fact]
    public void Extremum_adjoints_split_ties_in_half_as_pytorch()
    {
        // torch.maximum(a, b).backward(ones) with a = [1, 2, 3], b = [2, 2, 1] gives a.grad = [0, 0.5, 1], b.grad = [1, 0.5, 0];
        // torch.minimum the other way round (printed by /usr/bin/python3 with torch 1.13).
        double[] a = [1, 2, 3], b = [2, 2, 1], ones = [1, 1, 1];
        double[] maxA = new double[3], maxB = new double[3], minA = new double[3], minB = new double[3];
        Activations.SelectedBackward<double>(a, b, ones, maxA);
        Activations.SelectedBackward<double>(b, a, ones, maxB);
        Activations.SelectedBackward<double>(b, a, ones, minA);
        Activations.SelectedBackward<double>(a, b, ones, minB);
        Assert.Equal([0, 0.5, 1], maxA);
        Assert.Equal([1, 0.5, 0], maxB);
        Assert.Equal([1, 0.5, 0], minA);
        Assert.Equal([0, 0.5, 1], minB);
    }

    [Fact]
    public void Extremum_adjoints_match_their_rule_bit_for_bit_at_every_width()
    {
        foreach (int length in Lengths)
        {
            CheckSelectedAdjoints<float>(length);
            CheckSelectedAdjoints<double>(length);
        }
    }

    private static void CheckSelectedAdjoints<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] larger = Array.ConvertAll(Inputs(length, 21), v => T.CreateTruncating(v));
        T[] smaller = Array.ConvertAll(Inputs(length, 22), v => T.CreateTruncating(v));
        for (int i = 0; i < length; i += 3)
        {
            smaller[i] = larger[i]; // a tie every third lane
        }

        T[] dy = Array.ConvertAll(Inputs(length, 23), v => T.CreateTruncating(v));
        T[] before = Array.ConvertAll(Inputs(length, 24), v => T.CreateTruncating(v));
        T[] written = new T[length];
        T[] added = (T[])before.Clone();
        Activations.SelectedBackward<T>(larger, smaller, dy, written);
        Activations.SelectedBackwardAdd<T>(larger, smaller, dy, added);

        T half = T.CreateTruncating(0.5);
        int ties = 0;
        for (int i = 0; i < length; i++)
        {
            T expected = larger[i] > smaller[i] ? dy[i] : larger[i] == smaller[i] ? dy[i] * half : T.Zero;
            ties += larger[i] == smaller[i] ? 1 : 0;
            Assert.Equal(expected, written[i]);
            Assert.Equal(before[i] + expected, added[i]);
        }

        Assert.True(ties >= 1);
        T[] inPlace = (T[])dy.Clone();
        Activations.SelectedBackward<T>(larger, smaller, inPlace, inPlace);
        Assert.Equal(written, inPlace);
    }
}
