namespace UnrolledRnn;

/// <summary>The floating-point type a generated cell computes in.</summary>
public enum Precision
{
    /// <summary><see cref="float"/>: the default, twice the SIMD width of double.</summary>
    Single,

    /// <summary><see cref="double"/>: for gradient checks and numerically delicate work.</summary>
    Double,
}
