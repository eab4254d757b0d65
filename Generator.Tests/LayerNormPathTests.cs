using UnrolledRnn.Tests.Batching;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Inference;
using UnrolledRnn.Tests.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// The cells of LayerNormGradientTests through every other path the generator writes: the batched steps against each
/// stream run alone (at the batch sizes of BatchedExactnessTests), the prepared inference stream against Step, the ONNX
/// export (LayerNormalization) in ONNX Runtime against Step, and 0 bytes allocated by Forward, Backward and Step.
/// </summary>
public sealed class LayerNormPathTests(ITestOutputHelper output)
{
    private static readonly string[] s_cells =
    {
        nameof(LayerNormRnn1F64), nameof(LayerNormRnn7F64), nameof(LayerNormRnn17F64), nameof(LayerNormRnn33F64), nameof(LayerNormLstmF64),
    };

    /// <summary>The cells whose eps is exact in float, the type of LayerNormalization's epsilon attribute (not the LSTM's 1e-5).</summary>
    public static TheoryData<string> OnnxCells => new(s_cells[..^1]);

    public static TheoryData<string, int> Batches => BatchedExactnessTests.WithBatchSizes(s_cells);

    [Theory]
    [MemberData(nameof(Batches))]
    public void Batched_window_matches_every_stream_run_alone(string cell, int batch) =>
        new BatchedExactnessTests(output).Window_matches_every_stream_run_alone(cell, batch);

    [Theory]
    [MemberData(nameof(Batches))]
    public void Batched_steps_match_every_stream_stepped_alone(string cell, int batch) =>
        new BatchedExactnessTests(output).Streaming_steps_match_every_stream_stepped_alone(cell, batch);

    [Fact]
    public void Prepared_stream_matches_Step()
    {
        var tests = new PreparedInferenceTests(output);
        tests.Double_precision_stream_matches_the_cells_step(new LayerNormRnn7F64());
        tests.Double_precision_stream_matches_the_cells_step(new LayerNormRnn17F64());
        tests.Double_precision_stream_matches_the_cells_step(new LayerNormLstmF64());
    }

    [Fact]
    public void Forward_backward_and_step_allocate_nothing() => new AllocationTests(output).AssertNoAllocation(new LayerNormRnnF32());

    [Theory]
    [MemberData(nameof(OnnxCells))]
    public void Onnx_export_matches_Step_in_ONNX_Runtime(string cell) =>
        new OnnxOperatorCellsTests(output).Export_matches_Step_in_ONNX_Runtime(cell);
}
