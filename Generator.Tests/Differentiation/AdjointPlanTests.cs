extern alias GeneratorAssembly;

using System.Collections.Generic;
using System.Linq;
using GeneratorAssembly::UnrolledRnn.Generator.Differentiation;
using GeneratorAssembly::UnrolledRnn.Generator.Graph;
using GeneratorAssembly::UnrolledRnn.Generator.Models;
using GeneratorAssembly::UnrolledRnn.Generator.Primitives;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Differentiation;

/// <summary>
/// The differentiation pass on its own: the plan of the documented cells, built from models made in code (no
/// parser, no Roslyn, no generated C#). Specific plans for the LSTM, Elman and GRU steps, and two properties every
/// plan must have: each adjoint element is assigned once before it is accumulated into, and no adjoint is written
/// after the block that reads it (a name keeps one meaning).
/// </summary>
public class AdjointPlanTests
{
    public static TheoryData<string> Cells => new() { "Elman", "Lstm", "Gru" };

    private static CellModel Model(string cell) => cell switch
    {
        "Elman" => CellBuilder.Elman(),
        "Lstm" => CellBuilder.Lstm(),
        _ => CellBuilder.Gru(),
    };

    [Fact]
    public void Lstm_gate_derivatives_write_straight_into_the_slices_of_the_gates_adjoint()
    {
        var graph = CellGraph.Build(CellBuilder.Lstm());
        var plan = Differentiator.Differentiate(graph);
        Node gates = graph.ValueOf("gates"), o = graph.ValueOf("o"), i = graph.ValueOf("i");

        Assert.Equal(new AdjointStep[]
        {
            new ApplyDerivative(new AdjointRange(gates, 24, 8), AdjointRange.Whole(o), PrimitiveTable.Sigmoid, ValueRange.Whole(o), null, WriteMode.Assign),
        }, Block(plan, o).Steps);
        Assert.Equal(new AdjointStep[]
        {
            new ApplyDerivative(new AdjointRange(gates, 0, 8), AdjointRange.Whole(i), PrimitiveTable.Sigmoid, ValueRange.Whole(i), null, WriteMode.Assign),
        }, Block(plan, i).Steps);
    }

    [Fact]
    public void Lstm_cell_state_gets_its_norm_then_four_products_and_the_tanh_path_accumulates_into_it()
    {
        var graph = CellGraph.Build(CellBuilder.Lstm());
        var plan = Differentiator.Differentiate(graph);
        Node c = graph.ValueOf("c"), f = graph.ValueOf("f"), i = graph.ValueOf("i"), g = graph.ValueOf("g"), cPrevious = graph.PreviousOf("c")!;
        var dc = AdjointRange.Whole(c);

        Assert.Equal(new AdjointStep[]
        {
            new AddToStateNorm(dc),
            new MultiplyAdjoint(AdjointRange.Whole(f), dc, ValueRange.Whole(cPrevious), WriteMode.Assign),
            new MultiplyAdjoint(AdjointRange.Whole(cPrevious), dc, ValueRange.Whole(f), WriteMode.Assign),
            new MultiplyAdjoint(AdjointRange.Whole(i), dc, ValueRange.Whole(g), WriteMode.Assign),
            new MultiplyAdjoint(AdjointRange.Whole(g), dc, ValueRange.Whole(i), WriteMode.Assign),
        }, Block(plan, c).Steps);

        // tanh(c): d_c_t already holds dL/dc_t from the next step, so the derivative accumulates into it.
        var tanhOfC = graph.Materialized.Single(n => n.Kind == NodeKind.Function && n.Children[0] == c);
        var derivative = Assert.IsType<ApplyDerivative>(Assert.Single(Block(plan, tanhOfC).Steps));
        Assert.Equal((dc, WriteMode.Accumulate, PrimitiveTable.Tanh), (derivative.Target, derivative.Mode, derivative.Primitive));
    }

    [Fact]
    public void Lstm_weight_gradients_are_summed_over_the_window_from_the_adjoint_tape()
    {
        var graph = CellGraph.Build(CellBuilder.Lstm());
        var plan = Differentiator.Differentiate(graph);
        Node gates = graph.ValueOf("gates"), y = graph.ValueOf("y");

        Assert.Equal(new[] { "W_out", "W_ih", "W_hh" }, plan.WindowProducts.Select(p => p.Matrix.Name));
        var inputWeight = plan.WindowProducts[1];
        Assert.Equal((AdjointRange.Whole(gates), graph.TapeStart + gates.FrameOffset, WindowBuffer.RecordedInputs, 0, 3),
            (inputWeight.Source, inputWeight.AdjointOffset, inputWeight.OperandBuffer, inputWeight.OperandOffset, inputWeight.OperandStride));
        var recurrentWeight = plan.WindowProducts[2];
        Assert.Equal((WindowBuffer.Tape, graph.StateOffset("h"), graph.FrameSize),
            (recurrentWeight.OperandBuffer, recurrentWeight.OperandOffset, recurrentWeight.OperandStride));
        Assert.Equal(AdjointRange.Whole(y), plan.WindowProducts[0].Source);
        Assert.DoesNotContain(AllSteps(plan), s => s is OuterProduct);
    }

    [Fact]
    public void Elman_pre_activation_adjoint_has_a_slot_of_its_own_and_feeds_the_window_products()
    {
        var graph = CellGraph.Build(CellBuilder.Elman());
        var plan = Differentiator.Differentiate(graph);
        var h = graph.ValueOf("h");
        var sum = h.Children[0];

        Assert.True(sum.HasAdjointOnly);
        Assert.Equal("pre_h_t", sum.Local);
        Assert.DoesNotContain(graph.Materialized, n => n != sum && n.FrameOffset == sum.FrameOffset);
        var steps = Block(plan, h).Steps;
        Assert.Equal(new AddToStateNorm(AdjointRange.Whole(h)), steps[0]);
        Assert.Equal(new ApplyDerivative(AdjointRange.Whole(sum), AdjointRange.Whole(h), PrimitiveTable.Tanh, ValueRange.Whole(h), null, WriteMode.Assign), steps[1]);
        Assert.Equal(new[] { "W_out", "W_ih", "W_hh" }, plan.WindowProducts.Select(p => p.Matrix.Name));
        Assert.All(plan.WindowProducts.Skip(1), p => Assert.Equal(AdjointRange.Whole(sum), p.Source));
        Assert.Equal(new TransposedProduct(AdjointRange.Whole(graph.PreviousOf("h")!), graph.Model.Parameters[1], AdjointRange.Whole(sum), WriteMode.Assign),
            steps.OfType<TransposedProduct>().Single());
    }

    [Fact]
    public void Gru_update_gate_adjoint_gains_minus_the_adjoint_of_one_minus_z()
    {
        var graph = CellGraph.Build(CellBuilder.Gru());
        var plan = Differentiator.Differentiate(graph);
        var z = graph.ValueOf("z");
        var oneMinusZ = graph.Materialized.Single(n => n.Kind == NodeKind.Affine);

        Assert.Equal("one_minus_z_t", oneMinusZ.Local);
        Assert.Equal(new AdjointStep[] { new ScaleAdjoint(AdjointRange.Whole(z), AdjointRange.Whole(oneMinusZ), -1, WriteMode.Accumulate) },
            Block(plan, oneMinusZ).Steps);

        // z = sigmoid(gi[8..16] + gh[8..16]): the derivative goes to the sum's slot, which both slices receive.
        var sum = z.Children[0];
        Node gi = graph.ValueOf("gi"), gh = graph.ValueOf("gh");
        Assert.Equal(new AdjointStep[]
        {
            new ApplyDerivative(AdjointRange.Whole(sum), AdjointRange.Whole(z), PrimitiveTable.Sigmoid, ValueRange.Whole(z), null, WriteMode.Assign),
            new PassAdjoint(new AdjointRange(gi, 8, 8), AdjointRange.Whole(sum), WriteMode.Assign),
            new PassAdjoint(new AdjointRange(gh, 8, 8), AdjointRange.Whole(sum), WriteMode.Assign),
        }, Block(plan, z).Steps);
    }

    /// <summary>
    /// Replays the plan over element sets: an assignment must find its elements unwritten, an accumulation written
    /// (states arrive written from the next step; parameter gradients always accumulate), and no statement may
    /// write an adjoint whose block is done, as its name would then stop meaning dL/d(value).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cells))]
    public void Every_adjoint_is_assigned_once_then_accumulated_and_never_written_after_its_block(string cell)
    {
        var graph = CellGraph.Build(Model(cell));
        var plan = Differentiator.Differentiate(graph);
        var written = new Dictionary<Node, HashSet<int>>();
        foreach (var vector in graph.Recurrent)
        {
            Elements(written, graph.ValueOf(vector.Name)).UnionWith(Enumerable.Range(0, vector.Length));
        }

        var done = new HashSet<Node>();
        void Replay(IEnumerable<AdjointStep> steps)
        {
            foreach (var step in steps)
            {
                if (Target(step) is not { } target)
                {
                    continue;
                }

                Assert.DoesNotContain(target.Range.Buffer, done);
                var elements = Elements(written, target.Range.Buffer);
                var range = Enumerable.Range(target.Range.Start, target.Range.Length).ToList();
                if (target.Mode == WriteMode.Assign)
                {
                    Assert.True(range.All(e => !elements.Contains(e)), $"{step} assigns an adjoint already written");
                }
                else if (target.Range.Buffer.Kind != NodeKind.ParameterVector)
                {
                    Assert.True(range.All(elements.Contains), $"{step} accumulates into an adjoint never assigned");
                }

                elements.UnionWith(range);
            }
        }

        Replay(plan.Seeds);
        foreach (var block in plan.Blocks)
        {
            Replay(block.Steps);
            done.Add(block.Value);
        }

        Replay(plan.Completion);
        Assert.All(plan.Blocks, block => Assert.True(block.Reached, $"{block.Value.Local} is not reached"));
    }

    private static HashSet<int> Elements(Dictionary<Node, HashSet<int>> written, Node buffer) =>
        written.TryGetValue(buffer, out var set) ? set : written[buffer] = new HashSet<int>();

    private static (AdjointRange Range, WriteMode Mode)? Target(AdjointStep step) => step switch
    {
        SeedFromOutput s => (s.Target, s.Mode),
        ClearAdjoint s => (s.Target, WriteMode.Assign),
        PassAdjoint s => (s.Target, s.Mode),
        ScaleAdjoint s => (s.Target, s.Mode),
        MultiplyAdjoint s => (s.Target, s.Mode),
        ApplyDerivative s => (s.Target, s.Mode),
        TransposedProduct s => (s.Target, s.Mode),
        _ => null,
    };

    private static AdjointBlock Block(AdjointPlan plan, Node value) => plan.Blocks.Single(b => b.Value == value);

    private static IEnumerable<AdjointStep> AllSteps(AdjointPlan plan) =>
        plan.Seeds.Concat(plan.Blocks.SelectMany(b => b.Steps)).Concat(plan.Completion);
}
