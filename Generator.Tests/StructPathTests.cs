using System;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Batching;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Inference;
using UnrolledRnn.Tests.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests;

/// <summary>
/// The cells of StructGradientTests through every other path the generator writes: the batched steps against each
/// stream run alone (at the batch sizes of BatchedExactnessTests), the prepared inference stream against Step, and
/// the ONNX export in ONNX Runtime against Step (or its refusal), and 0 bytes allocated by Forward, Backward and Step. Each check is the
/// one those tests make of the docs examples or the classic cells.
/// </summary>
public sealed class StructPathTests(ITestOutputHelper output)
{
    private static readonly string[] s_cells = { nameof(AntisymmetricRnnF64), nameof(TransposedOperandsF64), nameof(ConcatRnnF64) };

    public static TheoryData<string> Cells => new(s_cells);

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
        tests.Double_precision_stream_matches_the_cells_step(new AntisymmetricRnnF64());
        tests.Double_precision_stream_matches_the_cells_step(new TransposedOperandsF64());
        tests.Double_precision_stream_matches_the_cells_step(new ConcatRnnF64());
    }

    [Fact]
    public void Forward_backward_and_step_allocate_nothing() => new AllocationTests(output).AssertNoAllocation(new AntisymmetricRnnF32());

    [Theory]
    [InlineData(nameof(AntisymmetricRnnF64))]
    [InlineData(nameof(TransposedOperandsF64))]
    [InlineData(nameof(MergedWeightRnnF64))]
    public void Onnx_export_matches_Step_in_ONNX_Runtime(string cell) =>
        new OnnxOperatorCellsTests(output).Export_matches_Step_in_ONNX_Runtime(cell);

    /// <summary>ONNX's Concat does not broadcast a rank-1 initializer over the batch: the export refuses, naming the expression.</summary>
    [Fact]
    public void A_vector_parameter_inside_concat_is_refused_by_the_ONNX_export()
    {
        var refusal = Assert.Throws<NotSupportedException>(() => ((IOnnxExportable)new ConcatRnnF64()).OnnxStepGraph);
        Assert.Equal("The cell ConcatRnnF64 cannot be exported to ONNX: 'concat(h[..2], g, h)': a vector parameter inside concat(...) is not exported (ONNX's Concat does not broadcast it over the batch).", refusal.Message);
    }
}
