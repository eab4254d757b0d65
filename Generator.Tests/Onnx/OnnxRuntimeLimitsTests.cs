using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using Xunit;
using Xunit.Sdk;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// What ONNX Runtime 1.31.1's CPU kernels lack, as docs/deploy.md says: Softplus in double. Should a release add
/// it, this test fails, and the page's note is to go.
/// </summary>
public sealed class OnnxRuntimeLimitsTests
{
    [Fact]
    public void Softplus_has_no_double_kernel_and_the_refusal_names_the_node()
    {
        using var directory = new TemporaryDirectory();
        var softplus = StepGraphs.Elman(TorchRnnTanhLargeF64.Size_x, TorchRnnTanhLargeF64.Size_h, TorchRnnTanhLargeF64.Size_y, activation: "Softplus");
        var doublePaths = OnnxExportExtensions.Export(new TorchRnnTanhLargeF64(), softplus, directory.File("double"), OnnxExport.Step | OnnxExport.Sequence);
        foreach (string path in doublePaths)
        {
            var refusal = Assert.Throws<XunitException>(() => OrtReferee.Load(path));
            Assert.Contains("Could not find an implementation for Softplus(1) node with name 'h'", refusal.Message);
        }

        // The same graph in float loads.
        var floatPaths = OnnxExportExtensions.Export(new TorchRnnTanhLargeF32(), softplus, directory.File("float"), OnnxExport.Step | OnnxExport.Sequence);
        foreach (string path in floatPaths)
        {
            OrtReferee.Load(path).Dispose();
        }
    }
}
