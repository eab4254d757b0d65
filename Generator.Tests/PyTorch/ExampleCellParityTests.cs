using UnrolledRnn.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.PyTorch;

/// <summary>
/// The example cells of docs/equations.md from recent papers, each against an independent PyTorch module written from
/// its paper (tools/pytorch/example_cells.py; fixtures in Fixtures/PyTorch/Examples): the documented source at two
/// sizes (In 3, H 5, Out 2, k2 4; In 8, H 33, Out 3, k2 6: the fused loops and the kernels past them), with the
/// module's weights loaded under the cell's own names, must reproduce PyTorch's outputs, final state, every parameter
/// gradient and the initial-state gradient.
/// </summary>
public sealed class ExampleCellParityTests
{
    /// <summary>double against PyTorch's float64: round-off is about 1e-16 per operation, over a few dozen of them.</summary>
    private const double DoubleTolerance = 1e-12;

    /// <summary>
    /// The cells compared. SLstm (max) and LayerNormLstm (layernorm) have their PyTorch modules and fixtures, and join
    /// this list with their examples once the language has those constructs.
    /// </summary>
    public static readonly string[] Cells = { "IndRnn", "CoRnn", "Lem", "MinGru", "MinLstm", "Ltc", "Cfc", "AntisymmetricRnn" };

    private readonly ITestOutputHelper _output;

    public ExampleCellParityTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string cell in Cells)
            {
                foreach (string size in ExampleCellVariants.Sizes)
                {
                    data.Add(cell, size);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_example_matches_PyTorch_float32(string cell, string size) =>
        PyTorchComparison.AssertMatches(ExampleCellVariants.Create<float>(cell, size), ExampleCellVariants.Fixture(cell, size, "f32"),
            CheckpointNames.Verbatim, PyTorchComparison.FloatTolerance, _output);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_example_matches_PyTorch_float64(string cell, string size) =>
        PyTorchComparison.AssertMatches(ExampleCellVariants.Create<double>(cell, size), ExampleCellVariants.Fixture(cell, size, "f64"),
            CheckpointNames.Verbatim, DoubleTolerance, _output);
}
