namespace UnrolledRnn;

/// <summary>
/// How the recurrent weight matrices (those that multiply a previous state) are initialised.
/// Input and output weights always use Glorot uniform; vectors (biases) start at zero.
/// </summary>
public enum RecurrentInitialization
{
    /// <summary>
    /// Each square block of the matrix (each gate's block, for a gated cell) is a random orthogonal matrix;
    /// a matrix that is not a stack of square blocks gets orthonormal columns (or rows).
    /// </summary>
    Orthogonal,

    /// <summary>Each square block is the identity: the IRNN recipe (Le, Jaitly and Hinton, 2015).</summary>
    Identity,
}
