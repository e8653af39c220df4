using System;
using System.Collections.Generic;
using System.Globalization;
using Samples.Evaluation;

namespace Samples.Imaging
{
    /// <summary>Draws ROC curves on a square plot (grid, chance diagonal, one coloured curve per model, legend with AUCs) and saves a PNG.</summary>
    internal static class RocPlot
    {
        private const int Size = 460, Left = 90, Top = 64, Width = 600, Scale = 2;
        private const int LegendTop = Top + Size + 70, LegendRowHeight = 24;

        public static void Write(string path, string title, IReadOnlyList<(string Name, RocCurve Curve, Rgb Color)> curves)
        {
            var image = new RgbImage(Width, LegendTop + (curves.Count + 1) * LegendRowHeight + 10);
            int X(double fpr) => Left + (int)Math.Round(fpr * (Size - 1));
            int Y(double tpr) => Top + (int)Math.Round((1 - tpr) * (Size - 1));

            DrawCentered(image, Width / 2, 20, Fit(title, Width - 20), Rgb.Black);

            // Grid and tick labels every 0.2.
            for (int k = 0; k <= 5; k++)
            {
                double t = k / 5.0;
                string label = t.ToString("0.0", CultureInfo.InvariantCulture);
                image.DrawLine(X(t), Top, X(t), Y(0), Rgb.LightGray);
                image.DrawLine(X(0), Y(t), X(1), Y(t), Rgb.LightGray);
                DrawCentered(image, X(t), Y(0) + 10, label, Rgb.Black);
                image.DrawText(X(0) - 12 - BitmapFont.MeasureWidth(label) * Scale, Y(t) - 7, label, Rgb.Black, Scale);
            }
            image.DrawLine(X(0), Y(0), X(1), Y(1), Rgb.Gray, dashLength: 6);
            image.DrawRectangle(X(0), Y(1), Size, Size, Rgb.Black);

            DrawCentered(image, X(0.5), Y(0) + 36, "False positive rate", Rgb.Black);
            image.DrawTextUpwards(X(0) - 62, Y(0.5) + BitmapFont.MeasureWidth("True positive rate") * Scale / 2, "True positive rate", Rgb.Black, Scale);

            foreach (var (_, curve, color) in curves)
                for (int i = 1; i < curve.Points.Count; i++)
                {
                    var (fpr0, tpr0) = curve.Points[i - 1];
                    var (fpr1, tpr1) = curve.Points[i];
                    image.DrawLine(X(fpr0), Y(tpr0), X(fpr1), Y(tpr1), color, thickness: 3);
                }

            // Legend below the axis title, where no curve can run underneath it.
            for (int i = 0; i <= curves.Count; i++)
            {
                int y = LegendTop + i * LegendRowHeight;
                bool chance = i == curves.Count;
                string text = chance ? "Chance  AUC = 0.500"
                    : $"{curves[i].Name}  AUC = {curves[i].Curve.Area.ToString("0.000", CultureInfo.InvariantCulture)}";
                image.DrawLine(Left, y + 7, Left + 30, y + 7, chance ? Rgb.Gray : curves[i].Color, thickness: chance ? 1 : 3, dashLength: chance ? 6 : 0);
                image.DrawText(Left + 42, y, Fit(text, Width - Left - 52), Rgb.Black, Scale);
            }

            Microsoft.ML.Generative.Imaging.PngFile.WriteRgb(path, image.Width, image.Height, image.Pixels);
        }

        private static void DrawCentered(RgbImage image, int centerX, int y, string text, Rgb color)
            => image.DrawText(centerX - BitmapFont.MeasureWidth(text) * Scale / 2, y, text, color, Scale);

        /// <summary>Cuts text that would not fit into <paramref name="pixels"/>, ending it with "..".</summary>
        private static string Fit(string text, int pixels)
        {
            int max = (pixels / Scale + 1) / BitmapFont.Advance;
            return text.Length <= max ? text : text[..Math.Max(0, max - 2)] + "..";
        }
    }
}
