using System.Globalization;
using System.IO;
using System.Security;
using System.Text;

namespace UnrolledRnn.Sample.Plots;

/// <summary>A minimal SVG writer: the handful of elements a line chart needs, with escaped text and invariant numbers.</summary>
public sealed class SvgDocument
{
    private readonly StringBuilder _body = new();

    /// <summary>Creates an empty drawing of the given size in pixels.</summary>
    public SvgDocument(double width, double height)
    {
        Width = width;
        Height = height;
    }

    /// <summary>The width in pixels.</summary>
    public double Width { get; }

    /// <summary>The height in pixels.</summary>
    public double Height { get; }

    /// <summary>A straight line.</summary>
    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"""  <line x1="{x1:0.##}" y1="{y1:0.##}" x2="{x2:0.##}" y2="{y2:0.##}" stroke="{stroke}" stroke-width="{width:0.##}"{Dash(dash)}/>""").Append('\n');

    /// <summary>A rectangle.</summary>
    public void Rectangle(double x, double y, double width, double height, string fill, string? stroke = null) =>
        _body.Append(CultureInfo.InvariantCulture,
            $"""  <rect x="{x:0.##}" y="{y:0.##}" width="{width:0.##}" height="{height:0.##}" fill="{fill}"{(stroke is null ? "" : $" stroke=\"{stroke}\"")}/>""").Append('\n');

    /// <summary>Text; <paramref name="anchor"/> is start, middle or end; <paramref name="rotate"/> in degrees about (x, y).</summary>
    public void Text(double x, double y, string text, double size = 12, string anchor = "start", double rotate = 0, string weight = "normal", string fill = "#222")
    {
        string transform = rotate == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" transform=\"rotate({rotate:0.##} {x:0.##} {y:0.##})\"");
        _body.Append(CultureInfo.InvariantCulture,
            $"""  <text x="{x:0.##}" y="{y:0.##}" font-size="{size:0.##}" text-anchor="{anchor}" font-weight="{weight}" fill="{fill}"{transform}>{Escape(text)}</text>""").Append('\n');
    }

    /// <summary>A polyline through the points, tagged with the series it draws (a data-series attribute and a title).</summary>
    public void Polyline(string series, (double X, double Y)[] points, string stroke, double width = 2, string? dash = null)
    {
        _body.Append(CultureInfo.InvariantCulture, $"""  <polyline data-series="{Escape(series)}" fill="none" stroke="{stroke}" stroke-width="{width:0.##}" stroke-linejoin="round"{Dash(dash)} points=" """);
        foreach (var (x, y) in points)
        {
            _body.Append(CultureInfo.InvariantCulture, $"{x:0.##},{y:0.##} ");
        }

        _body.Append("\"><title>").Append(Escape(series)).Append("</title></polyline>\n");
    }

    /// <summary>Opens a group clipped to a rectangle (the plot area); close it with <see cref="EndClip"/>.</summary>
    public void BeginClip(string id, double x, double y, double width, double height)
    {
        _body.Append(CultureInfo.InvariantCulture,
            $"""  <clipPath id="{id}"><rect x="{x:0.##}" y="{y:0.##}" width="{width:0.##}" height="{height:0.##}"/></clipPath>""").Append('\n');
        _body.Append($"""  <g clip-path="url(#{id})">""").Append('\n');
    }

    /// <summary>Closes the group opened by <see cref="BeginClip"/>.</summary>
    public void EndClip() => _body.Append("  </g>\n");

    /// <summary>The whole document.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width:0}" height="{Height:0}" viewBox="0 0 {Width:0} {Height:0}" font-family="Segoe UI, Helvetica, Arial, sans-serif">""") +
        "\n" + _body + "</svg>\n";

    /// <summary>Writes the document to a file.</summary>
    public void Save(string path) => File.WriteAllText(path, ToString());

    private static string Dash(string? dash) => dash is null ? "" : $" stroke-dasharray=\"{dash}\"";

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
