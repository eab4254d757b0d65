using System;
using UnrolledRnn.Batching;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Runtime;
using Xunit;

namespace UnrolledRnn.Tests.Batching;

/// <summary>Batched streaming steps: every stream as if stepped alone, resets per stream, nothing allocated per step.</summary>
public class BatchedStreamsTests
{
    [Fact]
    public void Every_stream_steps_as_it_would_alone_and_resets_on_its_own()
    {
        const int streams = 19;
        var cell = new TrainingLstm();
        cell.InitializeParameters(4);
        var single = new TrainingLstm();
        cell.Parameters.CopyTo(single.Parameters);
        var batched = new BatchedStreams<TrainingLstm, double>(cell, streams);
        var states = new double[streams][];
        var random = new Random(3);
        for (int s = 0; s < streams; s++)
        {
            states[s] = new double[TrainingLstm.StateSize];
            for (int i = 0; i < states[s].Length; i++)
            {
                states[s][i] = random.NextDouble() - 0.5;
            }

            batched.SetState(s, states[s]);
        }

        var inputs = new double[streams * TrainingLstm.InputSize];
        var outputs = new double[streams * TrainingLstm.OutputSize];
        var expected = new double[TrainingLstm.OutputSize];
        var state = new double[TrainingLstm.StateSize];
        for (int step = 0; step < 6; step++)
        {
            if (step == 3)
            {
                batched.ResetStream(7);
                Array.Clear(states[7]);
            }

            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = random.NextDouble() * 2 - 1;
            }

            batched.Step(inputs, outputs);
            for (int s = 0; s < streams; s++)
            {
                states[s].CopyTo(single.State);
                single.Step(inputs.AsSpan(s * TrainingLstm.InputSize, TrainingLstm.InputSize), expected);
                states[s] = single.State.ToArray();
                batched.GetState(s, state);
                for (int j = 0; j < expected.Length; j++)
                {
                    Assert.Equal(expected[j], outputs[s * TrainingLstm.OutputSize + j], 1e-13);
                }

                for (int j = 0; j < state.Length; j++)
                {
                    Assert.Equal(states[s][j], state[j], 1e-13);
                }
            }
        }
    }

    [Fact]
    public void A_step_of_64_streams_allocates_nothing()
    {
        var cell = new TrainingEchoLstm();
        cell.InitializeParameters(2);
        var streams = new BatchedStreams<TrainingEchoLstm, float>(cell, 64);
        var inputs = new float[64 * TrainingEchoLstm.InputSize];
        var outputs = new float[64 * TrainingEchoLstm.OutputSize];
        inputs.AsSpan().Fill(0.25f);

        Assert.Equal(0, SteadyStateAllocation.Measure(() => streams.Step(inputs, outputs)));
    }

    [Fact]
    public void BackwardBatch_without_a_recorded_window_of_that_batch_is_refused()
    {
        var cell = new TrainingEchoLstm();
        var workspace = new BatchWorkspace<float>(cell, 8);
        var batched = (IBatchedCell<float>)cell;

        Assert.Contains("call ForwardBatch first", Assert.Throws<InvalidOperationException>(() => batched.BackwardBatch(workspace, 8)).Message, StringComparison.Ordinal);
        batched.ForwardBatch(workspace, 8);
        Assert.Contains("holds one of 8", Assert.Throws<InvalidOperationException>(() => batched.BackwardBatch(workspace, 5)).Message, StringComparison.Ordinal);
        batched.BackwardBatch(workspace, 8);
        batched.StepBatch(workspace, 8);
        Assert.Throws<InvalidOperationException>(() => batched.BackwardBatch(workspace, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => batched.ForwardBatch(workspace, 9));
    }

    [Fact]
    public void Wrong_lengths_are_refused_by_name()
    {
        var streams = new BatchedStreams<TrainingEchoLstm, float>(new TrainingEchoLstm(), 4);
        var error = Assert.Throws<ArgumentException>(() => streams.Step(new float[3], new float[4]));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("batch x InputSize", error.Message, StringComparison.Ordinal);
    }
}
