using System;
using System.IO;
using ScottPlot;

namespace Samples.Plotting
{
    /// <summary>
    /// The font of every plot: DejaVu Sans, shipped next to the executable (Fonts/README.md). ScottPlot finds system
    /// fonts through SkiaSharp, and on a machine without fonts in /usr/share/fonts it draws no text at all, silently;
    /// an explicitly loaded file draws the same plot everywhere.
    /// </summary>
    internal static class PlotFont
    {
        public const string Name = "DejaVu Sans";
        private static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "Fonts", "DejaVuSans.ttf");
        private static readonly object Lock = new();
        private static bool _registered;

        /// <summary>Sets the font of all of <paramref name="plot"/>'s text (title, axis labels, ticks, legend).</summary>
        public static void Apply(Plot plot)
        {
            Register();
            plot.Font.Set(Name);
            plot.Legend.FontName = Name;
        }

        private static void Register()
        {
            lock (Lock)
            {
                if (_registered) return;
                if (!File.Exists(FilePath))
                    throw new InvalidOperationException($"The plot font is missing: {FilePath}. The build copies it there from src/Samples/Fonts.");
                // One regular file serves the bold requests too (ScottPlot draws titles bold): no second 700 KB file.
                Fonts.AddFontFile(Name, FilePath, bold: false, italic: false);
                Fonts.AddFontFile(Name, FilePath, bold: true, italic: false);
                _registered = true;
            }
        }
    }
}
