using System;
using System.Collections.Generic;

namespace UnrolledRnn.Sample.Plots;

/// <summary>One line of a chart.</summary>
/// <param name="Name">The legend's label, also the polyline's data-series attribute and title.</param>
/// <param name="Points">The points, in data coordinates.</param>
/// <param name="Color">The stroke colour.</param>
/// <param name="Dash">An SVG dash pattern, or null for a solid line.</param>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points, string Color, string? Dash = null);

/// <summary>A line chart: framed plot area, grid, ticks and tick labels, axis labels, title, legend, one polyline per series.</summary>
public sealed class LineChart
{
    private const double Width = 760, Height = 440;
    private const double Left = 78, Right = 24, Top = 46, Bottom = 58;

    /// <summary>The title above the plot.</summary>
    public required string Title { get; init; }

    /// <summary>The label under the x axis.</summary>
    public required string XLabel { get; init; }

    /// <summary>The label beside the y axis.</summary>
    public required string YLabel { get; init; }

    /// <summary>The x axis.</summary>
    public required Axis X { get; init; }

    /// <summary>The y axis.</summary>
    public required Axis Y { get; init; }

    /// <summary>Where the legend goes: "top-right" or "bottom-right" (pick the corner the lines leave free).</summary>
    public string LegendCorner { get; init; } = "top-right";

    /// <summary>The lines.</summary>
    public List<Series> Series { get; } = new();

    /// <summary>Draws the chart.</summary>
    public SvgDocument Render()
    {
        var svg = new SvgDocument(Width, Height);
        double plotLeft = Left, plotRight = Width - Right, plotTop = Top, plotBottom = Height - Bottom;
        svg.Rectangle(0, 0, Width, Height, "white");
        svg.Text(Width / 2, 28, Title, size: 17, anchor: "middle", weight: "bold");

        // Grid lines and tick labels.
        foreach (double tick in X.Ticks())
        {
            double x = X.Map(tick, plotLeft, plotRight);
            svg.Line(x, plotTop, x, plotBottom, "#e4e4e4");
            svg.Line(x, plotBottom, x, plotBottom + 5, "#444");
            svg.Text(x, plotBottom + 20, Axis.Format(tick), size: 12, anchor: "middle");
        }

        foreach (double tick in Y.Ticks())
        {
            double y = Y.Map(tick, plotBottom, plotTop);
            svg.Line(plotLeft, y, plotRight, y, "#e4e4e4");
            svg.Line(plotLeft - 5, y, plotLeft, y, "#444");
            svg.Text(plotLeft - 8, y + 4, Axis.Format(tick), size: 12, anchor: "end");
        }

        // Frame and axis labels.
        svg.Rectangle(plotLeft, plotTop, plotRight - plotLeft, plotBottom - plotTop, "none", stroke: "#444");
        svg.Text((plotLeft + plotRight) / 2, Height - 16, XLabel, size: 14, anchor: "middle");
        svg.Text(20, (plotTop + plotBottom) / 2, YLabel, size: 14, anchor: "middle", rotate: -90);

        // The lines, clipped to the plot area.
        svg.BeginClip("plot-area", plotLeft, plotTop, plotRight - plotLeft, plotBottom - plotTop);
        foreach (var series in Series)
        {
            var points = new (double, double)[series.Points.Count];
            for (int i = 0; i < points.Length; i++)
            {
                points[i] = (X.Map(series.Points[i].X, plotLeft, plotRight), Y.Map(series.Points[i].Y, plotBottom, plotTop));
            }

            svg.Polyline(series.Name, points, series.Color, dash: series.Dash);
        }

        svg.EndClip();
        DrawLegend(svg, plotRight, plotTop, plotBottom);
        return svg;
    }

    private void DrawLegend(SvgDocument svg, double plotRight, double plotTop, double plotBottom)
    {
        double longest = 0;
        foreach (var series in Series) longest = Math.Max(longest, series.Name.Length);
        double boxWidth = 44 + longest * 7.2, rowHeight = 20, boxHeight = 10 + rowHeight * Series.Count;
        double boxLeft = plotRight - boxWidth - 10;
        double boxTop = LegendCorner == "bottom-right" ? plotBottom - boxHeight - 10 : plotTop + 10;
        svg.Rectangle(boxLeft, boxTop, boxWidth, boxHeight, "white", stroke: "#bbb");
        for (int i = 0; i < Series.Count; i++)
        {
            double y = boxTop + 5 + rowHeight * (i + 0.5);
            svg.Line(boxLeft + 8, y, boxLeft + 34, y, Series[i].Color, width: 2.5, dash: Series[i].Dash);
            svg.Text(boxLeft + 40, y + 4, Series[i].Name, size: 12.5);
        }
    }
}
