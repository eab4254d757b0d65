using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using UnrolledRnn.Onnx;
using UnrolledRnn.Tests.Cells;
using UnrolledRnn.Tests.Checkpoints;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Onnx;

/// <summary>
/// docs/deploy.md's first Python block, run verbatim by python3 with the <c>onnx</c> package (Debian's python3-onnx,
/// which .ci/run installs) on an LSTM (In = 16, H = 32, Out = 4) exported into <c>models/</c>: onnx's full check and
/// strict shape inference pass on both models, and the inputs and outputs it lists are the documented ones. Skipped,
/// not passed, where python3 or its onnx package is missing.
/// </summary>
public sealed class OnnxPythonDocTests
{
    private const string Expected = """
        models/lstm.step.onnx
          input h_prev [1, 32]
          input c_prev [1, 32]
          input x [1, 16]
          output h [1, 32]
          output c [1, 32]
          output y [1, 4]
        models/lstm.sequence.onnx
          input initial_h_prev [1, 32]
          input initial_c_prev [1, 32]
          input x_sequence ['T', 1, 16]
          output final_h [1, 32]
          output final_c [1, 32]
          output y_sequence ['T', 1, 4]

        """;

    [SkippableFact]
    public void The_Python_check_in_the_docs_passes_on_the_exported_models_and_lists_their_inputs_and_outputs()
    {
        string? python = Array.Find(s_interpreters, p => Run(p, "-c \"import onnx\"", System.IO.Directory.GetCurrentDirectory()).ExitCode == 0);
        Skip.If(python is null, "no python3 with the onnx package (Debian: apt-get install python3-onnx) is installed");
        string snippet = DocsFiles.PythonBlocks(DocsFiles.Read("deploy.md"))[0];
        Assert.Contains("onnx.checker.check_model(model, full_check=True)", snippet);

        var cell = TrainedCells.Trained<TorchLstmLargeF32, float>(new());
        using var directory = new TemporaryDirectory();
        System.IO.Directory.CreateDirectory(directory.File("models"));
        cell.ExportOnnx(directory.File("models/lstm.onnx"), OnnxExport.Step | OnnxExport.Sequence);
        File.WriteAllText(directory.File("check.py"), snippet);

        var (exitCode, output, error) = Run(python, "check.py", directory.Path);
        Assert.True(exitCode == 0, $"{python} check.py failed ({exitCode}):\n{error}");
        Assert.Equal(Expected.Replace("\r\n", "\n"), output.Replace("\r\n", "\n"));
    }

    /// <summary>Debian's python3 (where python3-onnx installs onnx), then whichever python3 comes first on the PATH.</summary>
    private static readonly string[] s_interpreters = { "/usr/bin/python3", "python3" };

    /// <summary>Runs <paramref name="python"/> with <paramref name="arguments"/> in <paramref name="directory"/>; exit code -1 when it does not exist.</summary>
    private static (int ExitCode, string Output, string Error) Run(string python, string arguments, string directory)
    {
        var start = new ProcessStartInfo(python, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (Win32Exception)
        {
            return (-1, "", $"no {python}");
        }
    }
}
