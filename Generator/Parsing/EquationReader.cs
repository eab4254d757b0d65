using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UnrolledRnn.Generator.Diagnostics;
using UnrolledRnn.Generator.Models;
using UnrolledRnn.Generator.Naming;

namespace UnrolledRnn.Generator.Parsing;

/// <summary>
/// Reads the <c>Equations</c> method: the signature declares inputs, states, outputs and parameters; the body
/// is a sequence of assignments, read in order as C# runs them (a state read before its assignment is its
/// previous value). Anything else is reported on the node that holds it.
/// </summary>
internal sealed partial class EquationReader
{
    private const string Namespace = "UnrolledRnn.";

    private readonly SemanticModel _semanticModel;
    private readonly MethodDeclarationSyntax _method;
    private readonly INamedTypeSymbol _cell;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _cancellationToken;

    private readonly Dictionary<string, VectorDeclaration> _vectors = new();
    private readonly Dictionary<string, ParameterSyntax> _vectorSyntax = new();
    private readonly Dictionary<string, ParameterDeclaration> _parameters = new();
    private readonly Dictionary<string, ParameterSyntax> _parameterSyntax = new();
    private readonly Dictionary<string, int> _locals = new();
    private readonly HashSet<string> _assigned = new();
    private readonly HashSet<string> _readBeforeAssignment = new();
    private readonly HashSet<string> _mentioned = new();

    /// <summary>Names of signature parameters whose declaration was reported invalid: their uses are not reported again.</summary>
    private readonly HashSet<string> _invalidDeclarations = new();

    /// <summary>
    /// True once a statement was reported unsupported (a loop, a branch, a '+='): it may have been meant to assign
    /// any state or output, so "never assigned" is not reported on top of it.
    /// </summary>
    private bool _hasUnreadStatement;

    public EquationReader(SemanticModel semanticModel, MethodDeclarationSyntax method, INamedTypeSymbol cell,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        _semanticModel = semanticModel;
        _method = method;
        _cell = cell;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
    }

    public List<VectorDeclaration> Vectors { get; } = new();

    public List<ParameterDeclaration> Parameters { get; } = new();

    public List<Statement> Statements { get; } = new();

    /// <summary>Reads signature and body; false when the cell cannot be generated.</summary>
    /// <summary>True when the signature (sizes, roles, names) raised no error: its members can be emitted.</summary>
    public bool SignatureIsValid { get; private set; }

    public bool Read()
    {
        int errorsBefore = ErrorCount();
        ReadSignature();
        CheckReservedNames();
        SignatureIsValid = ErrorCount() == errorsBefore;
        if (_method.Body is null)
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, _method.ExpressionBody?.GetLocation() ?? _method.Identifier.GetLocation(),
                _method.ExpressionBody is null ? "an Equations method without a body" : "an expression-bodied Equations",
                "a block body { ... } holding the equations");
            return false;
        }

        // A parameter counts as used when the equations mention it, even in an expression reported invalid:
        // "never used" must not pile onto the error that stopped the reading of that expression.
        foreach (var identifier in _method.Body.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            _mentioned.Add(identifier.Identifier.ValueText);
        }

        foreach (var statement in _method.Body.Statements)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            ReadStatement(statement);
        }

        CheckCompleteness();

        // Outputs read before their assignment are fed back: they are carried like states.
        foreach (var vector in _vectors.Values.Where(v => v.Role != VectorRole.Input))
        {
            bool isRecurrent = vector.Role == VectorRole.State || _readBeforeAssignment.Contains(vector.Name);
            Vectors[Vectors.FindIndex(v => v.Name == vector.Name)] = vector with { IsRecurrent = isRecurrent };
        }

        return true;
    }

    private void ReadSignature()
    {
        foreach (var parameterSyntax in _method.ParameterList.Parameters)
        {
            string name = parameterSyntax.Identifier.ValueText;
            var symbol = _semanticModel.GetDeclaredSymbol(parameterSyntax, _cancellationToken);
            var roles = symbol?.GetAttributes()
                .Where(a => a.AttributeClass?.ContainingNamespace?.ToDisplayString() == "UnrolledRnn" &&
                            a.AttributeClass.Name is "InputAttribute" or "StateAttribute" or "OutputAttribute" or "ParameterAttribute")
                .ToList() ?? new List<AttributeData>();
            if (roles.Count != 1)
            {
                Report(DiagnosticDescriptors.BadSignatureParameter, parameterSyntax.Identifier.GetLocation(), name,
                    "exactly one of the attributes [Input(n)], [State(n)], [Output(n)] or [Parameter(rows, columns)] / [Parameter(n)]");
                _invalidDeclarations.Add(name);
                continue;
            }

            if (parameterSyntax.Modifiers.Count > 0)
            {
                Report(DiagnosticDescriptors.BadSignatureParameter, parameterSyntax.Modifiers[0].GetLocation(), name,
                    "no modifier ('ref', 'out', 'in', 'params'): it is declared by its attribute alone");
                _invalidDeclarations.Add(name);
                continue;
            }

            ReportIfRegisterName(name, parameterSyntax.Identifier.GetLocation());
            var role = roles[0];
            string typeName = symbol!.Type.ToDisplayString();
            var sizes = role.ConstructorArguments.Select(a => a.Value as int?).ToList();
            if (sizes.Count == 0 || sizes.Any(s => s is null or <= 0))
            {
                Report(DiagnosticDescriptors.SizeNotPositive, SizeLocation(role, parameterSyntax),
                    sizes.Count == 0 ? "(missing)" : string.Join(" x ", sizes.Select(s => s?.ToString() ?? "?")), name);
                _invalidDeclarations.Add(name);
                continue;
            }

            if (_vectors.ContainsKey(name) || _parameters.ContainsKey(name))
            {
                Report(DiagnosticDescriptors.DuplicateName, parameterSyntax.Identifier.GetLocation(), name, "expected every name to be unique");
                continue;
            }

            if (role.AttributeClass!.Name == "ParameterAttribute")
            {
                bool isMatrix = sizes.Count == 2;
                string expectedType = isMatrix ? Namespace + "Mat" : Namespace + "Vec";
                if (typeName != expectedType)
                {
                    Report(DiagnosticDescriptors.BadSignatureParameter, parameterSyntax.Type!.GetLocation(), name,
                        isMatrix ? "the type Mat, as [Parameter(rows, columns)] declares a matrix" : "the type Vec, as [Parameter(n)] declares a vector");
                    _invalidDeclarations.Add(name);
                    continue;
                }

                var declaration = new ParameterDeclaration(name, sizes[0]!.Value, isMatrix ? sizes[1]!.Value : 1, isMatrix);
                _parameters[name] = declaration;
                _parameterSyntax[name] = parameterSyntax;
                Parameters.Add(declaration);
            }
            else
            {
                if (typeName != Namespace + "Vec")
                {
                    Report(DiagnosticDescriptors.BadSignatureParameter, parameterSyntax.Type!.GetLocation(), name,
                        "the type Vec, as inputs, states and outputs are vectors");
                    _invalidDeclarations.Add(name);
                    continue;
                }

                var vectorRole = role.AttributeClass.Name switch
                {
                    "InputAttribute" => VectorRole.Input,
                    "StateAttribute" => VectorRole.State,
                    _ => VectorRole.Output,
                };
                var declaration = new VectorDeclaration(name, vectorRole, sizes[0]!.Value, vectorRole == VectorRole.State);
                _vectors[name] = declaration;
                _vectorSyntax[name] = parameterSyntax;
                Vectors.Add(declaration);
            }
        }
    }

    /// <summary>Where a size is wrong: the first size argument that is not a positive constant, else the attribute.</summary>
    private Location SizeLocation(AttributeData role, ParameterSyntax parameterSyntax)
    {
        var attributeSyntax = role.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) as AttributeSyntax;
        var offending = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(argument =>
            _semanticModel.GetConstantValue(argument.Expression, _cancellationToken) is not { HasValue: true, Value: int and > 0 });
        return offending?.GetLocation() ?? attributeSyntax?.GetLocation() ?? parameterSyntax.GetLocation();
    }

    /// <summary>
    /// A member of the cell, or the cell itself (CS0542), named like a generated member would make the generated
    /// code fail to compile: reported on the user's declaration instead.
    /// </summary>
    private void CheckReservedNames()
    {
        var reserved = GeneratedNames.Members(Vectors, Parameters);

        // The step methods hold each parameter W in a local named W, beside x_t, h_prev, their adjoints d_x_t,
        // d_h_prev and the gradients grad_W: a parameter named like one of those would collide with it.
        var locals = GeneratedNames.StepLocals(Vectors, Parameters);
        foreach (var parameter in Parameters.Where(p => locals.Contains(p.Name)))
        {
            Report(DiagnosticDescriptors.ReservedName, _parameterSyntax[parameter.Name].Identifier.GetLocation(), parameter.Name);
        }

        if (reserved.Contains(_cell.Name) && _method.Parent is TypeDeclarationSyntax cellSyntax)
        {
            Report(DiagnosticDescriptors.ReservedName, cellSyntax.Identifier.GetLocation(), _cell.Name);
        }

        foreach (var member in _cell.GetMembers())
        {
            if (reserved.Contains(member.Name) && !member.IsImplicitlyDeclared && member.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
            {
                Report(DiagnosticDescriptors.ReservedName, location, member.Name);
            }
        }
    }

    /// <summary>
    /// The fused loops name the register holding a chunk of <c>h_t</c> <c>v_h_t</c>: a declaration named with that
    /// prefix could take the name of another value's register (a local <c>v_h</c> is <c>v_h_t</c> in the step code).
    /// </summary>
    private void ReportIfRegisterName(string name, Location location)
    {
        if (GeneratedNames.IsRegisterName(name))
        {
            Report(DiagnosticDescriptors.ReservedName, location, name);
        }
    }

    private void ReadStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax local
                when local.Declaration.Variables.Count == 1 && local.Declaration.Variables[0].Initializer is not null
                     && !local.IsConst && local.UsingKeyword.IsKind(SyntaxKind.None):
                ReadLocal(local.Declaration.Variables[0]);
                break;

            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }
                when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Left is IdentifierNameSyntax target:
                ReadAssignment(target, assignment.Right, statement);
                break;

            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax compound }:
                _hasUnreadStatement = true;
                Report(DiagnosticDescriptors.UnsupportedConstruct, compound.OperatorToken.GetLocation(), "the '" + compound.OperatorToken.ValueText + "' assignment",
                    "a plain assignment 'name = expression;' to a state, an output or a new local");
                break;

            case EmptyStatementSyntax:
                break;

            default:
                _hasUnreadStatement = true;
                Report(DiagnosticDescriptors.UnsupportedConstruct, statement.GetLocation(), Describe(statement),
                    "an assignment 'state = expression;' or a declaration 'var name = expression;' (no loops, branches or calls)");
                break;
        }
    }

    private void ReadLocal(VariableDeclaratorSyntax declarator)
    {
        string name = declarator.Identifier.ValueText;
        if (_vectors.ContainsKey(name) || _parameters.ContainsKey(name) || _locals.ContainsKey(name) || _invalidDeclarations.Contains(name))
        {
            Report(DiagnosticDescriptors.DuplicateName, declarator.Identifier.GetLocation(), name, "expected a new name for each local");
            return;
        }

        ReportIfRegisterName(name, declarator.Identifier.GetLocation());
        var value = ReadVector(declarator.Initializer!.Value);

        // A local whose expression failed still exists, with an unknown length, so that later uses of it
        // do not cascade into further errors.
        _locals[name] = value?.Length ?? -1;
        if (value is not null)
        {
            Statements.Add(new Statement(name, StatementTarget.Local, value, name + " = " + value.Text));
        }
    }

    private void ReadAssignment(IdentifierNameSyntax target, ExpressionSyntax valueSyntax, StatementSyntax statement)
    {
        string name = target.Identifier.ValueText;
        StatementTarget kind;
        if (_vectors.TryGetValue(name, out var vector) && vector.Role != VectorRole.Input)
        {
            kind = vector.Role == VectorRole.State ? StatementTarget.State : StatementTarget.Output;
            if (_assigned.Contains(name))
            {
                Report(DiagnosticDescriptors.AssignedTwice, statement.GetLocation(), name);
                return;
            }
        }
        else if (vector is not null || _parameters.ContainsKey(name))
        {
            Report(DiagnosticDescriptors.AssignmentToReadOnly, target.GetLocation(), name, vector is not null ? "an input" : "a parameter");
            return;
        }
        else if (_locals.ContainsKey(name))
        {
            Report(DiagnosticDescriptors.AssignedTwice, statement.GetLocation(), name);
            return;
        }
        else if (_invalidDeclarations.Contains(name))
        {
            // Its declaration is already reported.
            return;
        }
        else
        {
            Report(DiagnosticDescriptors.UnknownIdentifier, target.GetLocation(), name, DiagnosticDescriptors.UnknownNameReason);
            return;
        }

        // The right-hand side is read before the target counts as assigned: there, the target is s_{t-1}.
        var value = ReadVector(valueSyntax);
        _assigned.Add(name);
        if (value is null)
        {
            return;
        }

        if (value.Length >= 0 && value.Length != vector.Length)
        {
            Report(DiagnosticDescriptors.ShapeMismatch, statement.GetLocation(), Text(statement).TrimEnd(';'),
                $"'{name}' has length {vector.Length} but the expression has length {value.Length}");
            return;
        }

        Statements.Add(new Statement(name, kind, value, name + " = " + value.Text));
    }

    private void CheckCompleteness()
    {
        var neverAssigned = _hasUnreadStatement ? Enumerable.Empty<VectorDeclaration>() : _vectors.Values.Where(v => v.Role != VectorRole.Input && !_assigned.Contains(v.Name));
        foreach (var vector in neverAssigned)
        {
            Report(vector.Role == VectorRole.State ? DiagnosticDescriptors.StateNeverAssigned : DiagnosticDescriptors.OutputNeverAssigned,
                _vectorSyntax[vector.Name].Identifier.GetLocation(), vector.Name);
        }

        foreach (var parameter in _parameters.Values.Where(p => !_mentioned.Contains(p.Name)))
        {
            Report(DiagnosticDescriptors.ParameterNeverUsed, _parameterSyntax[parameter.Name].Identifier.GetLocation(), parameter.Name);
        }
    }

    private int ErrorCount() => _diagnostics.Count(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);

    private void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    /// <summary>Source text with runs of white space collapsed, for messages and generated comments.</summary>
    private static string Text(SyntaxNode node) => Regex.Replace(node.WithoutTrivia().ToString(), @"\s+", " ");

    private static string Describe(StatementSyntax statement) => statement switch
    {
        IfStatementSyntax => "an 'if' statement",
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "a loop",
        ReturnStatementSyntax => "a 'return' statement",
        ExpressionStatementSyntax { Expression: InvocationExpressionSyntax } => "a method call statement",
        LocalDeclarationStatementSyntax => "this declaration (expected exactly one 'var name = expression')",
        _ => "'" + Text(statement) + "'",
    };
}
