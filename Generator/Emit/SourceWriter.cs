using System.Text;

namespace UnrolledRnn.Generator.Emit;

/// <summary>A minimal indented text writer: generated code is written as text, for a reader.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/> (unless empty: a bare block) and <c>{</c>, then indents until <see cref="Close"/>.</summary>
    public SourceWriter Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>Writes the lines of <paramref name="body"/> (written apart, at indent 0) at the current indent.</summary>
    public SourceWriter Lines(SourceWriter body)
    {
        foreach (var line in body.ToString().TrimEnd('\n').Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    public override string ToString() => _text.ToString();
}
