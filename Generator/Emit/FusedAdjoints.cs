using System.Collections.Generic;
using System.Linq;
using UnrolledRnn.Generator.Differentiation;
using UnrolledRnn.Generator.Graph;
using UnrolledRnn.Generator.Naming;
using UnrolledRnn.Generator.Primitives;

namespace UnrolledRnn.Generator.Emit;

/// <summary>
/// The fused loops of <c>BackwardStep</c>: a run of element-wise adjoint statements over ranges of one length (the
/// adjoints of products, sums and activations) becomes one loop over register-width chunks, headed by the blocks and
/// statements it computes, as the plan gives them. A whole adjoint lives in a register for the rest of the loop; every
/// statement stores its target, so the adjoint frame holds what the kernel calls would have left there.
/// </summary>
internal sealed class FusedAdjoints
{
    private readonly CellGraph _graph;
    private readonly StepScope _scope;
    private readonly SourceWriter _body;
    private readonly string _t;
    private readonly List<AdjointStep> _steps = new();
    private readonly List<string> _header = new();

    // Per chunk, while the loop body is written: the register of each whole adjoint and each value read so far.
    private readonly Dictionary<Node, string> _adjointRegisters = new();
    private readonly Dictionary<ValueRange, string> _valueRegisters = new();

    public FusedAdjoints(CellGraph graph, StepScope scope, SourceWriter body)
    {
        (_graph, _scope, _body) = (graph, scope, body);
        _t = CSharp.Keyword(graph.Model.Precision);
    }

    public bool IsEmpty => _steps.Count == 0;

    /// <summary>Whether a statement can be computed in a fused loop: element-wise, short enough, with a register form.</summary>
    public static bool CanFuse(AdjointStep step) => step switch
    {
        PassAdjoint s => s.Target.Length <= FusedLoop.MaxLength,
        ScaleAdjoint s => s.Target.Length <= FusedLoop.MaxLength,
        MultiplyAdjoint s => s.Target.Length <= FusedLoop.MaxLength,
        DivideAdjoint s => s.Target.Length <= FusedLoop.MaxLength,
        DivisorAdjoint s => s.Target.Length <= FusedLoop.MaxLength,
        ApplyDerivative s => s.Target.Length <= FusedLoop.MaxLength && s.Primitive.Derivative!.Register is not null,
        AddToStateNorm s => s.Source.Length <= FusedLoop.MaxLength,
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="step"/> may join the pending loop: the same length, and every adjoint range it touches
    /// either one the loop touches already or apart from them (a loop computes chunk by chunk, so two overlapping
    /// ranges at different offsets would see each other's elements in a different order than the statements do).
    /// </summary>
    public bool Accepts(AdjointStep step)
    {
        if (_steps.Count == 0)
        {
            return true;
        }

        if (Length(step) != Length(_steps[0]))
        {
            return false;
        }

        var touched = _steps.SelectMany(Adjoints).ToList();
        return Adjoints(step).All(r => touched.All(o => o.Buffer != r.Buffer || o == r || o.Start + o.Length <= r.Start || r.Start + r.Length <= o.Start));
    }

    /// <summary>Adds a comment line (a block's heading) to the pending loop's heading.</summary>
    public void Heading(string line) => _header.Add(line);

    public void Add(AdjointStep step, string math)
    {
        _steps.Add(step);
        _header.Add("//   " + math);
    }

    /// <summary>Writes the pending loop, headed by its blocks and statements.</summary>
    public void Flush()
    {
        if (_steps.Count == 0)
        {
            return;
        }

        _body.Line();
        foreach (string line in _header)
        {
            _body.Line(line);
        }

        int length = Length(_steps[0]);
        _body.Line($"// one fused loop over {length} elements, the values in registers");
        FusedLoop.Write(_body, length, _graph.Model.Precision, (width, chunk) =>
        {
            _adjointRegisters.Clear();
            _valueRegisters.Clear();
            foreach (var step in _steps)
            {
                Write(step, width, chunk);
            }
        });
        _steps.Clear();
        _header.Clear();
    }

    private void Write(AdjointStep step, RegisterWidth width, SourceWriter chunk)
    {
        switch (step)
        {
            case AddToStateNorm norm:
                string v = Adjoint(norm.Source, width, chunk);
                chunk.Line(width.IsScalar ? $"stateAdjointSquaredNorm += {v} * {v};" : $"stateAdjointSquaredNorm += {width.Vector}.Sum({v} * {v});");
                break;

            case PassAdjoint pass:
                Assign(pass.Target, pass.Mode, Adjoint(pass.Source, width, chunk), width, chunk);
                break;

            case ScaleAdjoint scale:
                string source = Adjoint(scale.Source, width, chunk);
                if (scale.Scale == -1)
                {
                    Assign(scale.Target, scale.Mode, source, width, chunk, negate: true);
                }
                else
                {
                    Assign(scale.Target, scale.Mode, $"{source} * {CSharp.Literal(scale.Scale, _graph.Model.Precision)}", width, chunk);
                }

                break;

            case MultiplyAdjoint product:
                Assign(product.Target, product.Mode, $"{Adjoint(product.Source, width, chunk)} * {Value(product.Factor, width, chunk)}", width, chunk);
                break;

            case DivideAdjoint quotient:
                Assign(quotient.Target, quotient.Mode, $"{Adjoint(quotient.Source, width, chunk)} / {Value(quotient.Divisor, width, chunk)}", width, chunk);
                break;

            case DivisorAdjoint divisor:
                string ratio = $"({Value(divisor.Quotient, width, chunk)} / {Value(divisor.Divisor, width, chunk)})";
                Assign(divisor.Target, divisor.Mode, $"{Adjoint(divisor.Source, width, chunk)} * {ratio}", width, chunk, negate: true);
                break;

            case ApplyDerivative derivative:
                string term = KernelCall.Backward(derivative.Primitive.Derivative!.Register!, _t,
                    Value(derivative.Output, width, chunk), Adjoint(derivative.Source, width, chunk), "");
                Assign(derivative.Target, derivative.Mode, term, width, chunk);
                break;
        }
    }

    /// <summary>target = term, or target += term (target -= term when <paramref name="negate"/>), then stored.</summary>
    private void Assign(AdjointRange target, WriteMode mode, string term, RegisterWidth width, SourceWriter chunk, bool negate = false)
    {
        string value = mode == WriteMode.Assign
            ? (negate ? "-" + term : term)
            : Adjoint(target, width, chunk) + (negate ? " - " : " + ") + term;
        string span = _scope.Adjoint(AdjointRange.Whole(target.Buffer));
        string offset = Offset(target.Start);
        if (!target.IsWhole)
        {
            // A range of an adjoint is stored and read back from the frame; the buffer's register, if any, is stale.
            _adjointRegisters.Remove(target.Buffer);
            chunk.Line(width.Store(value, span, offset));
            return;
        }

        if (_adjointRegisters.TryGetValue(target.Buffer, out var register))
        {
            chunk.Line($"{register} = {value};");
        }
        else
        {
            register = GeneratedNames.Register(AdjointName(target.Buffer));
            chunk.Line($"var {register} = {value};");
            _adjointRegisters[target.Buffer] = register;
        }

        chunk.Line(width.Store(register, span, offset));
    }

    /// <summary>The chunk of an adjoint range: its register, or a load (kept in a register when it is a whole adjoint).</summary>
    private string Adjoint(AdjointRange range, RegisterWidth width, SourceWriter chunk)
    {
        string span = _scope.Adjoint(AdjointRange.Whole(range.Buffer));
        if (!range.IsWhole)
        {
            return width.Load(_t, span, Offset(range.Start));
        }

        if (!_adjointRegisters.TryGetValue(range.Buffer, out var register))
        {
            register = GeneratedNames.Register(AdjointName(range.Buffer));
            chunk.Line($"var {register} = {width.Load(_t, span, Offset(0))};");
            _adjointRegisters[range.Buffer] = register;
        }

        return register;
    }

    /// <summary>The chunk of a primal value range, loaded once per chunk.</summary>
    private string Value(ValueRange range, RegisterWidth width, SourceWriter chunk)
    {
        if (!_valueRegisters.TryGetValue(range, out var register))
        {
            string text = StepScope.ValueText(_graph, range);
            register = GeneratedNames.Register(text.Replace('[', '_').Replace("..", "_").Replace("]", ""));
            var whole = ValueRange.Whole(range.Buffer);
            string span = _scope.Value(whole);
            chunk.Line($"var {register} = {width.Load(_t, span, Offset(range.Start))};");
            _valueRegisters[range] = register;
        }

        return register;
    }

    private string AdjointName(Node buffer) =>
        buffer.Kind == NodeKind.ParameterVector ? GeneratedNames.Gradient(buffer.LeafName!) : GeneratedNames.Adjoint(buffer.Local!);

    private static string Offset(int start) => start == 0 ? GeneratedNames.FusedIndex : start + " + " + GeneratedNames.FusedIndex;

    private static int Length(AdjointStep step) => step switch
    {
        AddToStateNorm s => s.Source.Length,
        PassAdjoint s => s.Target.Length,
        ScaleAdjoint s => s.Target.Length,
        MultiplyAdjoint s => s.Target.Length,
        DivideAdjoint s => s.Target.Length,
        DivisorAdjoint s => s.Target.Length,
        ApplyDerivative s => s.Target.Length,
        _ => 0,
    };

    private static IEnumerable<AdjointRange> Adjoints(AdjointStep step) => step switch
    {
        AddToStateNorm s => new[] { s.Source },
        PassAdjoint s => new[] { s.Target, s.Source },
        ScaleAdjoint s => new[] { s.Target, s.Source },
        MultiplyAdjoint s => new[] { s.Target, s.Source },
        DivideAdjoint s => new[] { s.Target, s.Source },
        DivisorAdjoint s => new[] { s.Target, s.Source },
        ApplyDerivative s => new[] { s.Target, s.Source },
        _ => new AdjointRange[0],
    };
}
