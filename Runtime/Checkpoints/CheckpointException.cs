using System;

namespace UnrolledRnn.Checkpoints;

/// <summary>
/// A checkpoint that cannot be read or does not fit what it is loaded into: a malformed safetensors file, a
/// file saved from another cell type, a missing, unexpected or mis-shaped tensor, or NaN or an infinity in a
/// tensor. The message names the file, the tensor (when there is one) and what was expected. Whatever was
/// being loaded is left as it was. (A file that cannot be opened at all throws an <see cref="System.IO.IOException"/>
/// or <see cref="UnauthorizedAccessException"/> naming the path.)
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what was expected.</param>
    /// <param name="tensorName">The tensor concerned, or null when the problem is not about one tensor.</param>
    /// <param name="innerException">The underlying error (a JSON parse error), or null.</param>
    public CheckpointException(string message, string? tensorName = null, Exception? innerException = null)
        : base(message, innerException) => TensorName = tensorName;

    /// <summary>The name, in the checkpoint, of the tensor concerned; null when the problem is not about one tensor.</summary>
    public string? TensorName { get; }
}
