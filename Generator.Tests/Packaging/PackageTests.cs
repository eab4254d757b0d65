using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Packaging;

/// <summary>
/// The way a user gets UnrolledRnn: one NuGet package. The test packs it into a temporary feed, creates a fresh
/// console project outside the solution that references only that package, declares an LSTM cell, trains it
/// for a few windows and checks that the loss fell. No project reference is involved.
/// </summary>
[Collection(ChildBuildCollection.Name)]
public class PackageTests
{
    private const string Program = """
        using System;
        using UnrolledRnn;
        using static UnrolledRnn.CellMath;

        var cell = new Echo();
        cell.InitializeParameters(3);
        var random = new Random(3);
        var inputs = new float[Echo.TruncationLength * Echo.InputSize];
        var targets = new float[inputs.Length];
        var outputs = new float[inputs.Length];
        var outputGradients = new float[inputs.Length];
        var initialStateGradient = new float[Echo.StateSize];
        var norms = new float[Echo.TruncationLength];
        float previous = 0;
        double first = 0, last = 0;
        for (int window = 0; window < 600; window++)
        {
            for (int t = 0; t < inputs.Length; t++)
            {
                inputs[t] = (float)(random.NextDouble() * 2 - 1);
                targets[t] = previous; // echo the input one step late
                previous = inputs[t];
            }

            cell.ZeroGradients();
            cell.Forward(inputs, outputs);
            double loss = 0;
            for (int t = 0; t < outputs.Length; t++)
            {
                loss += (outputs[t] - targets[t]) * (outputs[t] - targets[t]) / outputs.Length;
                outputGradients[t] = 2 * (outputs[t] - targets[t]) / outputs.Length;
            }

            cell.Backward(outputGradients, default, initialStateGradient, norms);
            for (int p = 0; p < cell.Parameters.Length; p++)
            {
                cell.Parameters[p] -= 0.1f * Math.Clamp(cell.Gradients[p], -1f, 1f);
            }

            if (window < 50) first += loss / 50;
            if (window >= 550) last += loss / 50;
        }

        Console.WriteLine($"loss first {first:F5} last {last:F5}");
        return last < first / 4 ? 0 : 1;

        [UnrolledCell(8)]
        public partial class Echo
        {
            const int H = 8;

            static void Equations([Input(1)] Vec x, [State(H)] Vec h, [State(H)] Vec c, [Output(1)] Vec y,
                [Parameter(4 * H, 1)] Mat W_ih, [Parameter(4 * H, H)] Mat W_hh, [Parameter(4 * H)] Vec b_ih, [Parameter(4 * H)] Vec b_hh,
                [Parameter(1, H)] Mat W_out, [Parameter(1)] Vec b_out)
            {
                var gates = W_ih * x + b_ih + W_hh * h + b_hh;
                var i = sigmoid(gates[..H]);
                var f = sigmoid(gates[H..(2 * H)]);
                var g = tanh(gates[(2 * H)..(3 * H)]);
                var o = sigmoid(gates[(3 * H)..]);
                c = f * c + i * g;
                h = o * tanh(c);
                y = W_out * h + b_out;
            }
        }
        """;

    private readonly ITestOutputHelper _output;

    public PackageTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void A_fresh_project_adds_the_package_declares_an_lstm_and_trains_it()
    {
        string repository = ChildProcess.RepositoryRoot();
        string work = Path.Combine(Path.GetTempPath(), "unrolledrnn-package-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed"), app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        // A version of its own, so that no copy of an earlier build in the NuGet cache can stand in for this one.
        string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + Guid.NewGuid().ToString("N")[..6];
        try
        {
            ChildProcess.Dotnet($"pack \"{Path.Combine(repository, "Runtime")}\" -c Release -o \"{feed}\" -p:Version={version}", repository);
            string package = Path.Combine(feed, $"UnrolledRnn.{version}.nupkg");
            using (var archive = ZipFile.OpenRead(package))
            {
                var files = archive.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("_rels/") && !n.StartsWith("package/")).OrderBy(n => n).ToList();
                _output.WriteLine("package files: " + string.Join(", ", files));
                Assert.Contains("lib/net10.0/UnrolledRnn.dll", files);
                Assert.Contains("lib/net10.0/UnrolledRnn.xml", files);
                Assert.Contains("analyzers/dotnet/cs/UnrolledRnn.Generator.dll", files);
                Assert.Contains("README.md", files);
                Assert.DoesNotContain(files, f => f.StartsWith("lib/") && f.Contains("Generator"));
            }

            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="UnrolledRnn" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), Program);

            string output = ChildProcess.Dotnet("run -c Release", app);
            _output.WriteLine(output.Trim());
            Assert.Contains("loss first", output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
