using System.Collections.Generic;

namespace UnrolledRnn.Checkpoints;

/// <summary>One tensor of a safetensors file, as its header describes it.</summary>
/// <param name="Name">The tensor's name (the header's key).</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions, outermost first (row-major); empty for a scalar.</param>
/// <param name="DataBegin">The offset of its first byte, from the start of the data section.</param>
/// <param name="DataEnd">The offset just past its last byte, from the start of the data section.</param>
public sealed record SafeTensorInfo(string Name, SafeTensorsDType DType, IReadOnlyList<long> Shape, long DataBegin, long DataEnd)
{
    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    /// <exception cref="System.OverflowException">The product does not fit in a <see cref="long"/>.</exception>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dimension in Shape)
            {
                count = checked(count * dimension);
            }

            return count;
        }
    }

    /// <summary>The shape written as in the header, e.g. "[20, 4]".</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Writes a shape as in a header, e.g. "[20, 4]"; "[]" for a scalar.</summary>
    /// <param name="shape">The dimensions.</param>
    public static string FormatShape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";
}
