using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Reference;
using Xunit;

namespace UnrolledRnn.Tests;

// The Elman and the LSTM at hidden sizes that take every path through the fused loops of their steps (FusedSizeCells),
// in single precision, against the naive double references.
public sealed partial class ReferenceTests
{
    public static TheoryData<IUnrolledCell<float>> FusedElmanCells => new()
    {
        { new FusedElmanH1F32() },
        { new FusedElmanH7F32() },
        { new FusedElmanH16F32() },
        { new FusedElmanH17F32() },
        { new FusedElmanH31F32() },
        { new FusedElmanH32F32() },
        { new FusedElmanH33F32() },
        { new FusedElmanH64F32() },
    };

    public static TheoryData<IUnrolledCell<float>> FusedLstmCells => new()
    {
        { new FusedLstmH1F32() },
        { new FusedLstmH7F32() },
        { new FusedLstmH16F32() },
        { new FusedLstmH17F32() },
        { new FusedLstmH31F32() },
        { new FusedLstmH32F32() },
        { new FusedLstmH33F32() },
        { new FusedLstmH64F32() },
    };

    [Theory]
    [MemberData(nameof(FusedElmanCells))]
    public void Single_precision_elman_matches_the_double_reference_at_every_fused_width(IUnrolledCell<float> cell) =>
        AssertMatchesNaive(cell, new NaiveElman(cell.InputSize, cell.StateSize, cell.OutputSize), seed: 51, SingleTolerance);

    [Theory]
    [MemberData(nameof(FusedLstmCells))]
    public void Single_precision_lstm_matches_the_double_reference_at_every_fused_width(IUnrolledCell<float> cell) =>
        AssertMatchesNaive(cell, new NaiveLstm(cell.InputSize, cell.StateSize / 2, cell.OutputSize), seed: 52, SingleTolerance);
}
