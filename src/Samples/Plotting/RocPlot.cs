using System.Collections.Generic;
using System.Linq;
using Samples.Evaluation;
using ScottPlot;

namespace Samples.Plotting
{
    /// <summary>ROC curves of one or more scores as a PNG (ScottPlot): one line per model with its AUC in the legend, and the chance diagonal.</summary>
    internal static class RocPlot
    {
        public const int Width = 640, Height = 600;

        /// <summary>Two colours that stay distinct for the common forms of colour blindness (blue, orange), then ScottPlot's palette.</summary>
        private static readonly Color[] Colours = { new(31, 119, 180), new(230, 120, 0), new(44, 160, 44), new(148, 103, 189) };

        public static void Write(string path, string title, IReadOnlyList<(string Name, RocCurve Curve)> curves)
        {
            var plot = new Plot();
            PlotFont.Apply(plot);
            for (int i = 0; i < curves.Count; i++)
            {
                var (name, curve) = curves[i];
                var line = plot.Add.ScatterLine(curve.Points.Select(p => p.FalsePositiveRate).ToArray(), curve.Points.Select(p => p.TruePositiveRate).ToArray());
                line.Color = Colours[i % Colours.Length];
                line.LineWidth = 2.5f;
                line.LegendText = $"{name}  AUC = {curve.Area:0.000}";
            }
            var chance = plot.Add.Line(0, 0, 1, 1);
            chance.Color = Colors.Gray;
            chance.LinePattern = LinePattern.Dashed;
            chance.LegendText = "Chance  AUC = 0.500";

            plot.Title(title);
            plot.XLabel("False positive rate");
            plot.YLabel("True positive rate");
            // A little room around [0, 1] so curves along the edges stay visible.
            plot.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
            plot.ShowLegend(Alignment.LowerRight);
            plot.SavePng(path, Width, Height);
        }
    }
}
