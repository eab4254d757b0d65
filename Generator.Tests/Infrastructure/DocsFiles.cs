using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace UnrolledRnn.Tests.Infrastructure;

/// <summary>Reads the pages of docs/ that tests keep honest, and their <c>```csharp</c> code blocks.</summary>
public static class DocsFiles
{
    private static readonly Regex s_csharpBlock = new("^```csharp\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
    private static readonly Regex s_pythonBlock = new("^```python\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);

    /// <summary>The text of docs/<paramref name="fileName"/>, with '\n' line ends.</summary>
    public static string Read(string fileName, [CallerFilePath] string callerPath = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(callerPath)!); directory is not null; directory = directory.Parent)
        {
            string path = Path.Combine(directory.FullName, "docs", fileName);
            if (File.Exists(Path.Combine(directory.FullName, "UnrolledRnn.sln")) && File.Exists(path))
            {
                return File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            }
        }

        throw new FileNotFoundException($"No docs/{fileName} beside UnrolledRnn.sln above {callerPath}.");
    }

    /// <summary>The contents of every <c>```csharp</c> block of <paramref name="markdown"/>, in order.</summary>
    public static string[] CSharpBlocks(string markdown) =>
        s_csharpBlock.Matches(markdown).Select(m => m.Groups[1].Value).ToArray();

    /// <summary>The contents of every <c>```python</c> block of <paramref name="markdown"/>, in order.</summary>
    public static string[] PythonBlocks(string markdown) =>
        s_pythonBlock.Matches(markdown).Select(m => m.Groups[1].Value).ToArray();
}
