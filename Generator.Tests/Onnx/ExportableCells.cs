using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Onnx;

namespace UnrolledRnn.Tests.Cells;

// The PyTorch-layout test cells (TorchCells.cs), made exportable with the hand-written step graphs of
// StepGraphs, as a user does until the generator emits the description itself.

public partial class TorchRnnTanhLargeF32 : IOnnxExportable
{
    public OnnxStepGraph OnnxStepGraph => StepGraphs.Elman(Size_x, Size_h, Size_y);
}

public partial class TorchRnnTanhLargeF64 : IOnnxExportable
{
    public OnnxStepGraph OnnxStepGraph => StepGraphs.Elman(Size_x, Size_h, Size_y);
}

public partial class TorchLstmLargeF32 : IOnnxExportable
{
    public OnnxStepGraph OnnxStepGraph => StepGraphs.Lstm(Size_x, Size_h, Size_y);
}

public partial class TorchLstmLargeF64 : IOnnxExportable
{
    public OnnxStepGraph OnnxStepGraph => StepGraphs.Lstm(Size_x, Size_h, Size_y);
}

public partial class TorchGruLargeF32 : IOnnxExportable
{
    public OnnxStepGraph OnnxStepGraph => StepGraphs.Gru(Size_x, Size_h, Size_y);
}

public partial class TorchGruLargeF64 : IOnnxExportable
{
    public OnnxStepGraph OnnxStepGraph => StepGraphs.Gru(Size_x, Size_h, Size_y);
}
