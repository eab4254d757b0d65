extern alias GeneratorAssembly;

using System.Collections.Generic;
using System.Linq;
using GeneratorAssembly::UnrolledRnn.Generator.Helpers;
using GeneratorAssembly::UnrolledRnn.Generator.Models;
using GeneratorAssembly::UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>
/// Builds a <see cref="CellModel"/> in code, as the parser would from a cell's Equations, so that the step graph and
/// the differentiation pass can be tested without Roslyn. A name reads as C# reads it in Equations: a state or
/// output before its assignment is its previous value.
/// </summary>
internal sealed class CellBuilder
{
    private readonly List<VectorDeclaration> _vectors = new();
    private readonly List<ParameterDeclaration> _parameters = new();
    private readonly List<Statement> _statements = new();
    private readonly Dictionary<string, int> _locals = new();
    private readonly HashSet<string> _assigned = new();
    private readonly HashSet<string> _readBeforeAssignment = new();

    public CellBuilder Input(string name, int length) => Vector(name, VectorRole.Input, length);

    public CellBuilder State(string name, int length) => Vector(name, VectorRole.State, length);

    public CellBuilder Output(string name, int length) => Vector(name, VectorRole.Output, length);

    public CellBuilder Matrix(string name, int rows, int columns)
    {
        _parameters.Add(new ParameterDeclaration(name, rows, columns, IsMatrix: true));
        return this;
    }

    public CellBuilder Bias(string name, int length)
    {
        _parameters.Add(new ParameterDeclaration(name, length, 1, IsMatrix: false));
        return this;
    }

    /// <summary>A vector, vector parameter or earlier local, by name.</summary>
    public E this[string name]
    {
        get
        {
            if (_locals.TryGetValue(name, out int localLength))
            {
                return new E(new ValueRef(name, localLength, name));
            }

            if (_parameters.FirstOrDefault(p => p.Name == name) is { } parameter)
            {
                return new E(new ParameterRef(name, parameter.Rows, name));
            }

            var vector = _vectors.Single(v => v.Name == name);
            if (vector.Role == VectorRole.Input)
            {
                return new E(new InputRef(name, vector.Length, name));
            }

            if (_assigned.Contains(name))
            {
                return new E(new ValueRef(name, vector.Length, name));
            }

            _readBeforeAssignment.Add(name);
            return new E(new PreviousRef(name, vector.Length, name));
        }
    }

    /// <summary><c>W * v</c>.</summary>
    public E Times(string matrix, E vector)
    {
        var parameter = _parameters.Single(p => p.Name == matrix);
        return new E(new MatVecExpr(matrix, parameter.Rows, parameter.Columns, vector.Expr, matrix + " * " + vector.Expr.Text));
    }

    /// <summary><c>var name = value;</c></summary>
    public CellBuilder Let(string name, E value)
    {
        _locals[name] = value.Expr.Length;
        _statements.Add(new Statement(name, StatementTarget.Local, value.Expr, name + " = " + value.Expr.Text));
        return this;
    }

    /// <summary><c>name = value;</c> for a state or an output.</summary>
    public CellBuilder Assign(string name, E value)
    {
        var vector = _vectors.Single(v => v.Name == name);
        _assigned.Add(name);
        var target = vector.Role == VectorRole.State ? StatementTarget.State : StatementTarget.Output;
        _statements.Add(new Statement(name, target, value.Expr, name + " = " + value.Expr.Text));
        return this;
    }

    public CellModel Build(int truncationLength = 4) => new(
        "Cells",
        EquatableArray<ContainingType>.Empty,
        "Cell",
        truncationLength,
        GeneratorAssembly::UnrolledRnn.Precision.Single,
        GeneratorAssembly::UnrolledRnn.RecurrentInitialization.Orthogonal,
        _vectors.Select(v => v with { IsRecurrent = v.Role == VectorRole.State || _readBeforeAssignment.Contains(v.Name) }).ToEquatableArray(),
        _parameters.ToEquatableArray(),
        _statements.ToEquatableArray());

    private CellBuilder Vector(string name, VectorRole role, int length)
    {
        _vectors.Add(new VectorDeclaration(name, role, length, role == VectorRole.State));
        return this;
    }

    /// <summary>The documented cells (docs/equations.md), with the sizes of the snapshots: In = 3, H = 8, Out = 2.</summary>
    public static CellModel Elman()
    {
        var b = new CellBuilder().Input("x", 3).State("h", 8).Output("y", 2)
            .Matrix("W_ih", 8, 3).Matrix("W_hh", 8, 8).Bias("b_ih", 8).Bias("b_hh", 8).Matrix("W_out", 2, 8).Bias("b_out", 2);
        b.Assign("h", E.Call(PrimitiveTable.Tanh, b.Times("W_ih", b["x"]) + b["b_ih"] + b.Times("W_hh", b["h"]) + b["b_hh"]));
        return b.Assign("y", b.Times("W_out", b["h"]) + b["b_out"]).Build();
    }

    public static CellModel Lstm()
    {
        const int H = 8;
        var b = new CellBuilder().Input("x", 3).State("h", H).State("c", H).Output("y", 2)
            .Matrix("W_ih", 4 * H, 3).Matrix("W_hh", 4 * H, H).Bias("b_ih", 4 * H).Bias("b_hh", 4 * H).Matrix("W_out", 2, H).Bias("b_out", 2);
        b.Let("gates", b.Times("W_ih", b["x"]) + b["b_ih"] + b.Times("W_hh", b["h"]) + b["b_hh"]);
        b.Let("i", E.Call(PrimitiveTable.Sigmoid, b["gates"].Slice(0, H)));
        b.Let("f", E.Call(PrimitiveTable.Sigmoid, b["gates"].Slice(H, 2 * H)));
        b.Let("g", E.Call(PrimitiveTable.Tanh, b["gates"].Slice(2 * H, 3 * H)));
        b.Let("o", E.Call(PrimitiveTable.Sigmoid, b["gates"].Slice(3 * H, 4 * H)));
        b.Assign("c", b["f"] * b["c"] + b["i"] * b["g"]);
        b.Assign("h", b["o"] * E.Call(PrimitiveTable.Tanh, b["c"]));
        return b.Assign("y", b.Times("W_out", b["h"]) + b["b_out"]).Build();
    }

    public static CellModel Gru()
    {
        const int H = 8;
        var b = new CellBuilder().Input("x", 3).State("h", H).Output("y", 2)
            .Matrix("W_ih", 3 * H, 3).Matrix("W_hh", 3 * H, H).Bias("b_ih", 3 * H).Bias("b_hh", 3 * H).Matrix("W_out", 2, H).Bias("b_out", 2);
        b.Let("gi", b.Times("W_ih", b["x"]) + b["b_ih"]);
        b.Let("gh", b.Times("W_hh", b["h"]) + b["b_hh"]);
        b.Let("r", E.Call(PrimitiveTable.Sigmoid, b["gi"].Slice(0, H) + b["gh"].Slice(0, H)));
        b.Let("z", E.Call(PrimitiveTable.Sigmoid, b["gi"].Slice(H, 2 * H) + b["gh"].Slice(H, 2 * H)));
        b.Let("n", E.Call(PrimitiveTable.Tanh, b["gi"].Slice(2 * H, 3 * H) + b["r"] * b["gh"].Slice(2 * H, 3 * H)));
        b.Assign("h", E.Affine(b["z"], -1, 1) * b["n"] + b["z"] * b["h"]);
        return b.Assign("y", b.Times("W_out", b["h"]) + b["b_out"]).Build();
    }
}

/// <summary>An expression under construction, with the operators of the cell language.</summary>
internal readonly record struct E(Expr Expr)
{
    public static E operator +(E left, E right) => Binary(ElementwiseOp.Add, left, right, " + ");

    public static E operator -(E left, E right) => Binary(ElementwiseOp.Subtract, left, right, " - ");

    public static E operator *(E left, E right) => Binary(ElementwiseOp.Multiply, left, right, " * ");

    /// <summary><c>scale * v + offset</c>.</summary>
    public static E Affine(E operand, double scale, double offset) =>
        new(new AffineExpr(operand.Expr, scale, offset, $"{scale} * {operand.Expr.Text} + {offset}"));

    public static E Call(Primitive primitive, E argument) =>
        new(new CallExpr(primitive, argument.Expr, primitive.Name + "(" + argument.Expr.Text + ")"));

    /// <summary><c>v[start..end]</c>.</summary>
    public E Slice(int start, int end) => new(new SliceExpr(Expr, start, end - start, $"{Expr.Text}[{start}..{end}]"));

    private static E Binary(ElementwiseOp op, E left, E right, string symbol) =>
        new(new ElementwiseExpr(op, left.Expr, right.Expr, "(" + left.Expr.Text + symbol + right.Expr.Text + ")"));
}
