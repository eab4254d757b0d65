namespace UnrolledRnn.Generator.Primitives;

/// <summary>
/// One element-wise function of the cell language, and everything the generator knows about it: the parser
/// accepts <see cref="Name"/> with <see cref="Arity"/> arguments, the forward emitter calls <see cref="Forward"/>
/// (or <see cref="FastForward"/>), the differentiation pass applies <see cref="Derivative"/>, and comments,
/// messages and the names of unnamed results use <see cref="Name"/>. Entries live in <see cref="PrimitiveTable"/>.
/// </summary>
/// <remarks>
/// Kernel calls are templates over the placeholders of <see cref="KernelCall"/>: <c>{T}</c> (the element type),
/// <c>{x}</c> and <c>{y}</c> (argument and result, forward), <c>{y}</c>, <c>{dy}</c> and <c>{dx}</c> (backward), and
/// <c>{x}</c> in a derivative that reads the argument (<see cref="Derivative.ReadsArgument"/>).
/// Entries are singletons, compared by reference, so a model holding one stays value-equatable.
/// </remarks>
internal sealed class Primitive
{
    public Primitive(string name, int arity, string? forward, string? fastForward, Derivative? derivative,
        string? register = null, string? fastRegister = null, string? onnx = null)
    {
        Name = name;
        Arity = arity;
        Forward = forward;
        FastForward = fastForward;
        Derivative = derivative;
        Register = register;
        FastRegister = fastRegister;
        Onnx = onnx;
    }

    /// <summary>The name in the equations (<c>tanh</c>), in math comments, and the stem of an unnamed result (<c>tanh_c_t</c>).</summary>
    public string Name { get; }

    /// <summary>The number of arguments the parser accepts.</summary>
    public int Arity { get; }

    /// <summary>The accurate forward kernel, <c>y = f(x)</c>; null when y is x itself (no call, or a copy).</summary>
    public string? Forward { get; }

    /// <summary>The forward kernel under FastActivations; null when it is <see cref="Forward"/>.</summary>
    public string? FastForward { get; }

    /// <summary>How dL/dx follows from dL/dy; null when dL/dx is dL/dy (the identity).</summary>
    public Derivative? Derivative { get; }

    /// <summary>
    /// The register form of <see cref="Forward"/> for a fused loop: an expression of <c>{x}</c>, a register of any
    /// width or a scalar (the runtime's <c>Registers</c> has an overload for each); null when y is x itself, or when
    /// the function has none (a statement calling it then calls <see cref="Forward"/>).
    /// </summary>
    public string? Register { get; }

    /// <summary>The register form under FastActivations; null when it is <see cref="Register"/>.</summary>
    public string? FastRegister { get; }

    /// <summary>
    /// The ONNX operator (default domain, opset 17) computing y = f(x) element-wise as one node of one input, under
    /// FastActivations too (the export computes the exact function); null when ONNX cannot express it, which makes
    /// the generated <c>OnnxStepGraph</c> of a cell using it throw, naming it.
    /// </summary>
    public string? Onnx { get; }

    public override string ToString() => Name;
}

/// <summary>
/// The derivative of y = f(x), written in terms of the recorded output y, or of the argument x where y cannot give it
/// (|x|' = sign x, sin' = cos x): dL/dx = dL/dy × <see cref="Factor"/>, in two kernel forms, so that generated code
/// never rescales an adjoint it has named.
/// </summary>
/// <param name="Factor">f'(x) as it reads in comments, in terms of <c>{y}</c> or <c>{x}</c>: <c>(1 - {y}^2)</c>.</param>
/// <param name="Assign">The kernel writing dx = dy × f'(x).</param>
/// <param name="Accumulate">The kernel adding dy × f'(x) to dx, rounding as a separate product and sum would.</param>
/// <param name="Register">dy × f'(x) as an expression of <c>{y}</c> (or <c>{x}</c>) and <c>{dy}</c> for a fused loop (registers or scalars).</param>
internal sealed record Derivative(string Factor, string Assign, string Accumulate, string Register)
{
    /// <summary>
    /// Whether the derivative reads the argument x (its templates name <c>{x}</c>): the argument is then stored for the
    /// backward pass, never computed in place into the function's output (docs/design.md, "Derivatives of the argument").
    /// </summary>
    public bool ReadsArgument => Assign.Contains("{x}");
}
