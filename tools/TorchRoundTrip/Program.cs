using System;
using System.IO;
using System.Numerics;
using UnrolledRnn;
using UnrolledRnn.Checkpoints;
using UnrolledRnn.Training;
using UnrolledRnn.TorchRoundTrip;

// The C# half of the round trip of tools/pytorch/reference.py. For each cell (nn.RNN tanh and relu, nn.LSTM,
// nn.GRU, each with a linear head; float and double), in the directory given as the only argument:
//
//   {kind}_{f32|f64}.checkpoint.safetensors   the parameters, saved by Checkpoint.Save under PyTorch's names
//   {kind}_{f32|f64}.adam.safetensors         Adam's state after two updates, saved by OptimizerCheckpoint.Save
//   {kind}_{f32|f64}.io.safetensors           input [k2, In], h0 (and c0), output [k2, Out] and h_n (and c_n)
//                                             computed here by Forward from the saved parameters, and the
//                                             gradient grad.<name> that Adam's updates used
//   {kind}_{f32|f64}.after_step.safetensors   the parameters after a third Adam update with that gradient
//
// The script loads the checkpoint into the PyTorch model with load_state_dict(strict=True), runs it, and
// compares with the outputs saved here; then loads the Adam state into torch.optim.Adam, makes the third
// update itself, and compares with after_step.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run --project tools/TorchRoundTrip -- <output directory>");
    return 2;
}

string directory = args[0];
Directory.CreateDirectory(directory);
RoundTrip.Write<float>(new RnnTanhF32(), "rnn_tanh", directory, seed: 1);
RoundTrip.Write<float>(new RnnReluF32(), "rnn_relu", directory, seed: 2);
RoundTrip.Write<float>(new LstmF32(), "lstm", directory, seed: 3);
RoundTrip.Write<float>(new GruF32(), "gru", directory, seed: 4);
RoundTrip.Write<double>(new RnnTanhF64(), "rnn_tanh", directory, seed: 5);
RoundTrip.Write<double>(new RnnReluF64(), "rnn_relu", directory, seed: 6);
RoundTrip.Write<double>(new LstmF64(), "lstm", directory, seed: 7);
RoundTrip.Write<double>(new GruF64(), "gru", directory, seed: 8);
return 0;

internal static class RoundTrip
{
    public static void Write<T>(IUnrolledCell<T> cell, string kind, string directory, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string stem = Path.Combine(directory, $"{kind}_{(typeof(T) == typeof(float) ? "f32" : "f64")}");
        var random = new Random(seed);

        // Parameters: the library's own initialisation, plus non-zero biases so that they matter.
        cell.InitializeParameters((ulong)seed);
        foreach (var tensor in cell.ParameterTensors)
        {
            if (tensor.Role == ParameterRole.Vector)
            {
                Fill(cell.Parameters.Slice(tensor.Offset, tensor.Length), random, 0.3);
            }
        }

        var initialState = RandomArray<T>(random, cell.StateSize, 0.5);
        var inputs = RandomArray<T>(random, cell.TruncationLength * cell.InputSize, 1.0);
        var outputGradients = RandomArray<T>(random, cell.TruncationLength * cell.OutputSize, 1.0);
        var outputs = new T[cell.TruncationLength * cell.OutputSize];

        // A gradient, then two Adam updates with it: the optimizer state saved is not trivial.
        initialState.CopyTo(cell.State);
        cell.ZeroGradients();
        cell.Forward(inputs, outputs);
        cell.Backward(outputGradients, default, new T[cell.StateSize], new T[cell.TruncationLength]);
        var gradient = cell.Gradients.ToArray();
        var adam = new Adam<T>(learningRate: 0.01, weightDecay: 0.01);
        adam.Step(cell.Parameters, gradient);
        adam.Step(cell.Parameters, gradient);
        Checkpoint.Save(cell, stem + ".checkpoint.safetensors");
        OptimizerCheckpoint.Save(adam, cell, stem + ".adam.safetensors");

        // The outputs of the saved parameters, for PyTorch to reproduce.
        initialState.CopyTo(cell.State);
        cell.Forward(inputs, outputs);
        var io = new SafeTensorsWriter();
        int hidden = kind == "lstm" ? cell.StateSize / 2 : cell.StateSize;
        io.Add<T>("input", inputs, cell.TruncationLength, cell.InputSize);
        io.Add<T>("h0", initialState.AsSpan(0, hidden), hidden);
        io.Add<T>("output", outputs, cell.TruncationLength, cell.OutputSize);
        io.Add<T>("h_n", cell.State.Slice(0, hidden), hidden);
        if (kind == "lstm")
        {
            io.Add<T>("c0", initialState.AsSpan(hidden), hidden);
            io.Add<T>("c_n", cell.State.Slice(hidden), hidden);
        }

        foreach (var tensor in cell.ParameterTensors)
        {
            var slice = gradient.AsSpan(tensor.Offset, tensor.Length);
            string name = "grad." + CheckpointNames.PyTorch.ToCheckpointName(tensor.Name);
            if (tensor.Role == ParameterRole.Vector)
            {
                io.Add<T>(name, slice, tensor.Rows);
            }
            else
            {
                io.Add<T>(name, slice, tensor.Rows, tensor.Columns);
            }
        }

        io.Save(stem + ".io.safetensors");

        // The third update, for PyTorch to reproduce from the saved Adam state.
        adam.Step(cell.Parameters, gradient);
        Checkpoint.Save(cell, stem + ".after_step.safetensors");
        Console.WriteLine($"  wrote {Path.GetFileName(stem)}.*: {cell.ParameterCount} parameters, Adam step {adam.StepCount}");
    }

    private static T[] RandomArray<T>(Random random, int length, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        Fill<T>(values, random, scale);
        return values;
    }

    private static void Fill<T>(Span<T> values, Random random, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(scale * (2 * random.NextDouble() - 1));
        }
    }
}
