using System;
using System.Diagnostics;
using UnrolledRnn.Sample;

// Learns to echo its input 3 steps late, a task that needs memory across time steps, with plain
// truncated BPTT (k1 = k2 = 16): forward over a window, backward through it, one SGD step, state carried on.
const int Delay = 3, Windows = 3000, Seed = 7;
const float LearningRate = 0.05f;

var cell = new EchoLstm();
cell.InitializeParameters(Seed);
var random = new Random(Seed);
var history = new float[Delay];
var inputs = new float[EchoLstm.TruncationLength * EchoLstm.InputSize];
var targets = new float[EchoLstm.TruncationLength * EchoLstm.OutputSize];
var outputs = new float[targets.Length];
var outputGradients = new float[targets.Length];
var initialStateGradient = new float[EchoLstm.StateSize];
var norms = new float[EchoLstm.TruncationLength];

Console.WriteLine($"Training an LSTM ({EchoLstm.ParameterCount} parameters) to echo its input {Delay} steps late, k1 = k2 = {EchoLstm.TruncationLength}.");
var clock = Stopwatch.StartNew();
double runningLoss = 0;
for (int window = 1; window <= Windows; window++)
{
    NextWindow();
    cell.ZeroGradients();
    cell.Forward(inputs, outputs);

    // Mean squared error over the window and its gradient dL/dy.
    double loss = 0;
    for (int t = 0; t < outputs.Length; t++)
    {
        float error = outputs[t] - targets[t];
        loss += error * error / outputs.Length;
        outputGradients[t] = 2 * error / outputs.Length;
    }

    cell.Backward(outputGradients, default, initialStateGradient, norms);
    var parameters = cell.Parameters;
    var gradients = cell.Gradients;
    for (int p = 0; p < parameters.Length; p++)
    {
        parameters[p] -= LearningRate * Math.Clamp(gradients[p], -1f, 1f);
    }

    runningLoss = window == 1 ? loss : 0.98 * runningLoss + 0.02 * loss;
    if (window % 500 == 0)
    {
        Console.WriteLine($"window {window,5}: loss {runningLoss:F5}  ||dL/dh|| at 0 and {EchoLstm.TruncationLength - 1} steps back: {norms[0]:E2}, {norms[^1]:E2}");
    }
}

Console.WriteLine($"Trained {Windows} windows ({Windows * EchoLstm.TruncationLength} steps) in {clock.Elapsed.TotalSeconds:F2} s.");

// Streaming inference: one Step per sample, as an audio or control loop would run it.
var input = new float[1];
var output = new float[1];
const int StreamSteps = 100_000;
var latencies = new long[StreamSteps];
for (int t = 0; t < 20_000; t++)
{
    cell.Step(input, output); // warm-up: let the JIT reach its optimised tier before timing
}

long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (int t = 0; t < StreamSteps; t++)
{
    input[0] = (float)(random.NextDouble() * 2 - 1);
    long start = Stopwatch.GetTimestamp();
    cell.Step(input, output);
    latencies[t] = Stopwatch.GetTimestamp() - start;
}

long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
Array.Sort(latencies);
double Microseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
Console.WriteLine($"Streaming Step: p50 {Microseconds(latencies[StreamSteps / 2]):F3} us, p99 {Microseconds(latencies[StreamSteps * 99 / 100]):F3} us, " +
                  $"max {Microseconds(latencies[^1]):F1} us, {allocated} bytes allocated over {StreamSteps} steps.");

void NextWindow()
{
    for (int t = 0; t < EchoLstm.TruncationLength; t++)
    {
        float sample = (float)(random.NextDouble() * 2 - 1);
        inputs[t] = sample;
        targets[t] = history[0];
        Array.Copy(history, 1, history, 0, Delay - 1);
        history[Delay - 1] = sample;
    }
}
