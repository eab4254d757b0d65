namespace UnrolledRnn.Checkpoints;

/// <summary>
/// The element types of the safetensors format, spelled as in a file's header. A checkpoint reader validates
/// the layout of tensors of any of these types; cells and optimizers load and save only <see cref="F32"/> and
/// <see cref="F64"/>.
/// </summary>
public enum SafeTensorsDType
{
    /// <summary>Boolean, 1 byte.</summary>
    BOOL,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8,

    /// <summary>Signed 8-bit integer.</summary>
    I8,

    /// <summary>8-bit float, 5 exponent bits and 2 mantissa bits.</summary>
    F8_E5M2,

    /// <summary>8-bit float, 4 exponent bits and 3 mantissa bits.</summary>
    F8_E4M3,

    /// <summary>Signed 16-bit integer.</summary>
    I16,

    /// <summary>Unsigned 16-bit integer.</summary>
    U16,

    /// <summary>IEEE 754 half precision.</summary>
    F16,

    /// <summary>bfloat16.</summary>
    BF16,

    /// <summary>Signed 32-bit integer.</summary>
    I32,

    /// <summary>Unsigned 32-bit integer.</summary>
    U32,

    /// <summary>IEEE 754 single precision: <see cref="float"/>.</summary>
    F32,

    /// <summary>IEEE 754 double precision: <see cref="double"/>.</summary>
    F64,

    /// <summary>Signed 64-bit integer.</summary>
    I64,

    /// <summary>Unsigned 64-bit integer.</summary>
    U64,
}
