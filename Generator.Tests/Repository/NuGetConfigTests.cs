using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using UnrolledRnn.Tests.Infrastructure;
using Xunit;

namespace UnrolledRnn.Tests.Repository;

/// <summary>
/// The repository restores on any machine with NuGet: nuget.config clears the machine's sources and names only
/// remote feeds. A folder of this machine as a source (it once listed /opt/nuget/packages) fails every restore
/// elsewhere with NU1301.
/// </summary>
public sealed class NuGetConfigTests
{
    [Fact]
    public void Every_package_source_is_a_remote_feed_and_the_machine_sources_are_cleared()
    {
        var packageSources = XDocument.Load(Path.Combine(ChildProcess.RepositoryRoot(), "nuget.config"))
            .Root!.Element("packageSources");
        Assert.NotNull(packageSources);
        Assert.Equal("clear", packageSources!.Elements().First().Name.LocalName);

        var sources = packageSources.Elements("add").Select(add => (string)add.Attribute("value")!).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.True(
            Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps,
            $"nuget.config lists the package source '{source}', which is not an https feed: a local folder exists only on the machine that wrote it"));
    }
}
