using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace UnrolledRnn.Tests.Packaging;

/// <summary>
/// The way a user gets UnrolledRnn: one NuGet package. The test packs it into a temporary feed, creates a fresh
/// console project outside the solution that references only that package, and runs as its Program.cs exactly
/// the snippet of README.md's "Use it in your project" section (its own LSTM, its own data, training, a
/// checkpoint saved and loaded, streaming). No project reference is involved, and the restore uses a packages
/// folder of its own, deleted afterwards, so that nothing is left in the user's NuGet cache.
/// </summary>
[Collection(ChildBuildCollection.Name)]
public class PackageTests
{
    private readonly ITestOutputHelper _output;

    public PackageTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void A_fresh_project_adds_the_package_declares_an_lstm_and_trains_it()
    {
        string repository = ChildProcess.RepositoryRoot();
        string work = Path.Combine(Path.GetTempPath(), "unrolledrnn-package-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed"), app = Path.Combine(work, "app"), packages = Path.Combine(work, "packages");
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
                // The ONNX export's protobuf runtime comes with the package; the protoc of Grpc.Tools stays at build time.
                string nuspec = new StreamReader(archive.GetEntry("UnrolledRnn.nuspec")!.Open()).ReadToEnd();
                Assert.Matches("<dependency id=\"Google.Protobuf\" version=\"3.36.2\"", nuspec);
                Assert.DoesNotContain("Grpc.Tools", nuspec);
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
            File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeSnippet());

            // The app's packages go to a folder of its own: the test leaves nothing in the user's NuGet cache.
            string output = ChildProcess.Dotnet("run -c Release", app, ("NUGET_PACKAGES", packages));
            _output.WriteLine(output.Trim());
            double first = ChunkLoss(output, 0), last = ChunkLoss(output, 59);
            Assert.True(last < first / 10, $"the loss fell from {first} to only {last}");
            Assert.Equal(6, Regex.Matches(output, @"^in .* out ", RegexOptions.Multiline).Count);
            Assert.True(Directory.Exists(Path.Combine(packages, "unrolledrnn", version)), "the app did not restore into its own packages folder");
            Assert.False(Directory.Exists(Path.Combine(UserPackagesFolder(), "unrolledrnn", version)), "the test package reached the user's NuGet cache");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The first <c>```csharp</c> block after README.md's "Use it in your project" heading.</summary>
    private static string ReadmeSnippet()
    {
        string readme = File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "README.md")).Replace("\r\n", "\n");
        int section = readme.IndexOf("\n## Use it in your project\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no \"Use it in your project\" section");
        return DocsFiles.CSharpBlocks(readme[section..])[0];
    }

    /// <summary>The user's global NuGet packages folder: NUGET_PACKAGES, or ~/.nuget/packages.</summary>
    private static string UserPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The loss the snippet prints after chunk <paramref name="chunk"/>.</summary>
    private static double ChunkLoss(string output, int chunk)
    {
        var match = Regex.Match(output, $@"^chunk {chunk}: loss ([0-9.]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no loss for chunk {chunk} in:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
