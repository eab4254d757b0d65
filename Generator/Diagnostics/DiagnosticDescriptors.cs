using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Ids are stable (URNN + three digits); each links to its section
/// of docs/diagnostics.md, which shows a wrong and a corrected example.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "UnrolledRnn";
    private const string HelpBase = "https://github.com/unrolledrnn/unrolledrnn/blob/main/docs/diagnostics.md#";

    /// <summary>URNN001: "The cell '{0}' must be declared partial so that the generator can add its members".</summary>
    public static readonly DiagnosticDescriptor CellNotPartial = Error("URNN001",
        "Cell class must be partial",
        "The cell '{0}' must be declared partial so that the generator can add its members");

    /// <summary>URNN002: "The cell '{0}' is nested in '{1}', which must also be declared partial".</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error("URNN002",
        "Containing type must be partial",
        "The cell '{0}' is nested in '{1}', which must also be declared partial");

    /// <summary>URNN003: "The cell '{0}' must not be generic: sizes and element type are fixed at compile time".</summary>
    public static readonly DiagnosticDescriptor CellIsGeneric = Error("URNN003",
        "Cell class must not be generic",
        "The cell '{0}' must not be generic: sizes and element type are fixed at compile time");

    /// <summary>URNN004: "The truncation length of '{0}' is {1}; expected an integer from 1 to {2} ({3})".</summary>
    public static readonly DiagnosticDescriptor TruncationLengthOutOfRange = Error("URNN004",
        "Truncation length out of range",
        "The truncation length of '{0}' is {1}; expected an integer from 1 to {2} ({3})");

    /// <summary>URNN005: "The cell '{0}' has no method named 'Equations'; expected one, holding the cell's equations".</summary>
    public static readonly DiagnosticDescriptor EquationsMissing = Error("URNN005",
        "Equations method missing",
        "The cell '{0}' has no method named 'Equations'; expected exactly one, whose body holds the cell's equations");

    /// <summary>URNN006: "The parameter '{0}' of Equations needs {1}".</summary>
    public static readonly DiagnosticDescriptor BadSignatureParameter = Error("URNN006",
        "Invalid Equations parameter",
        "The parameter '{0}' of Equations needs {1}");

    /// <summary>URNN007: "The size {0} of '{1}' is not valid; expected a positive compile-time constant".</summary>
    public static readonly DiagnosticDescriptor SizeNotPositive = Error("URNN007",
        "Size must be a positive constant",
        "The size {0} of '{1}' is not valid; expected a positive compile-time constant");

    /// <summary>URNN008: "{0} is not supported in cell equations; expected {1}" ({0} describes the construct: "the operator '/'").</summary>
    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error("URNN008",
        "Unsupported construct in cell equations",
        "{0} is not supported in cell equations; expected {1}");

    /// <summary>
    /// URNN009: "The name '{0}' {1}", where {1} is "is not an input, state, output, parameter or earlier local of the
    /// cell" (<see cref="UnknownNameReason"/>) or, for a numeric field that is not const, why it is not a constant.
    /// </summary>
    public static readonly DiagnosticDescriptor UnknownIdentifier = Error("URNN009",
        "Unknown name in cell equations",
        "The name '{0}' {1}");

    /// <summary>The reason URNN009 gives for a name that is nothing of the cell.</summary>
    public const string UnknownNameReason = "is not an input, state, output, parameter or earlier local of the cell";

    /// <summary>URNN010: "'{0}' is not a function of the cell language; expected tanh, sigmoid, relu, identity, exp, softplus, sqrt, log or elu".</summary>
    public static readonly DiagnosticDescriptor UnknownFunction = Error("URNN010",
        "Unknown function in cell equations",
        "'{0}' is not a function of the cell language; expected " + PrimitiveTable.NameList + " with one argument");

    /// <summary>URNN011: "Shape mismatch in '{0}': {1}".</summary>
    public static readonly DiagnosticDescriptor ShapeMismatch = Error("URNN011",
        "Shape mismatch",
        "Shape mismatch in '{0}': {1}");

    /// <summary>URNN012: "'{0}' is {1} and cannot be assigned; only states, outputs and new locals can".</summary>
    public static readonly DiagnosticDescriptor AssignmentToReadOnly = Error("URNN012",
        "Assignment to an input or parameter",
        "'{0}' is {1} and cannot be assigned; only states, outputs and new locals can");

    /// <summary>URNN013: "'{0}' is assigned more than once; each value is assigned once per step".</summary>
    public static readonly DiagnosticDescriptor AssignedTwice = Error("URNN013",
        "Value assigned twice",
        "'{0}' is assigned more than once; each value is assigned exactly once per step");

    /// <summary>URNN014: "The state '{0}' is never assigned; expected one assignment giving its new value".</summary>
    public static readonly DiagnosticDescriptor StateNeverAssigned = Error("URNN014",
        "State never assigned",
        "The state '{0}' is never assigned; expected one assignment giving its new value");

    /// <summary>URNN015: "The output '{0}' is never assigned; expected one assignment giving its value".</summary>
    public static readonly DiagnosticDescriptor OutputNeverAssigned = Error("URNN015",
        "Output never assigned",
        "The output '{0}' is never assigned; expected one assignment giving its value");

    /// <summary>URNN016: "The parameter '{0}' is never used in the equations; it will receive no gradient".</summary>
    public static readonly DiagnosticDescriptor ParameterNeverUsed = Warning("URNN016",
        "Parameter never used",
        "The parameter '{0}' is never used in the equations; it will receive no gradient");

    /// <summary>URNN017: "The name '{0}' is declared twice in the cell".</summary>
    public static readonly DiagnosticDescriptor DuplicateName = Error("URNN017",
        "Duplicate name",
        "The name '{0}' is declared twice in the cell; {1}");

    /// <summary>URNN018: "The matrix '{0}' can only appear as the left operand of a matrix-vector product 'W * v'".</summary>
    public static readonly DiagnosticDescriptor MatrixMisused = Error("URNN018",
        "Matrix used outside a matrix-vector product",
        "The matrix '{0}' can only appear as the left operand of a matrix-vector product, as in '{0} * v'");

    /// <summary>URNN019: "The slice '{0}' is not valid: {1}".</summary>
    public static readonly DiagnosticDescriptor BadSlice = Error("URNN019",
        "Invalid slice",
        "The slice '{0}' is not valid: {1}");

    /// <summary>URNN020: "The cell '{0}' {1}".</summary>
    public static readonly DiagnosticDescriptor BadCellDeclaration = Error("URNN020",
        "Invalid cell declaration",
        "The cell '{0}' {1}");

    /// <summary>URNN021: "The name '{0}' is reserved for a generated member or local of the cell; rename it".</summary>
    public static readonly DiagnosticDescriptor ReservedName = Error("URNN021",
        "Name reserved by the generator",
        "The name '{0}' is reserved for a generated member or local of the cell; rename it");

    /// <summary>URNN022: "The generator failed on the cell '{0}' ({1}); this is a bug in UnrolledRnn, please report it with the cell".</summary>
    /// <remarks>The safety net: an unexpected exception is reported rather than escaping the generator. Never expected.</remarks>
    public static readonly DiagnosticDescriptor InternalError = Error("URNN022",
        "Internal generator error",
        "The generator failed on the cell '{0}' ({1}); this is a bug in UnrolledRnn, please report it with the cell's declaration");

    /// <summary>URNN023: "The constant '{0}' divides integers, so C# truncates it to {1}; expected a real division such as {2}".</summary>
    public static readonly DiagnosticDescriptor IntegerDivisionTruncates = Warning("URNN023",
        "Integer division truncates a constant",
        "The constant '{0}' divides integers, so C# truncates it to {1}; expected a real division such as {2}");

    /// <summary>URNN028: "The division '{0}' is not supported: {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedDivision = Error("URNN028",
        "Unsupported division",
        "The division '{0}' is not supported: {1}");

    /// <summary>URNN029: "The call '{0}' is not supported: {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedExtremum = Error("URNN029",
        "Unsupported max or min",
        "The call '{0}' is not supported: {1}");

    /// <summary>URNN032: "'{0}' is not a valid transpose: {1}".</summary>
    public static readonly DiagnosticDescriptor TransposeMisused = Error("URNN032",
        "Transpose used outside a transposed product",
        "'{0}' is not a valid transpose: {1}");

    /// <summary>URNN033: "'{0}' is not a valid concatenation: {1}".</summary>
    public static readonly DiagnosticDescriptor BadConcat = Error("URNN033",
        "Invalid concatenation",
        "'{0}' is not a valid concatenation: {1}");

    /// <summary>URNN034: "'{0}' is not a valid layer normalisation: {1}".</summary>
    public static readonly DiagnosticDescriptor BadLayerNorm = Error("URNN034",
        "Invalid layer normalisation",
        "'{0}' is not a valid layer normalisation: {1}");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null))
        .ToDictionary(d => d.Id);

    /// <summary>All descriptors, by id.</summary>
    public static IReadOnlyCollection<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
