using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.ML.Generative;

namespace Samples.Text
{
    /// <summary>
    /// Renders a line with each character's surprisal (-log2 p, in bits) made visible: a background colour per
    /// surprisal band (ANSI escape codes, for terminals), or a plain-text line of digits under the characters (for files,
    /// pipes and --no-color), the digit being the surprisal in whole bits. Long lines are wrapped at a fixed width, so
    /// the digits stay under their characters. The end of the line is shown as '¶'.
    /// </summary>
    internal sealed class SurprisalHighlighter
    {
        /// <summary>Lower bounds (in bits) of the highlighted bands; below the first, a character is not highlighted.</summary>
        private static readonly double[] BandStarts = { 2, 4, 7, 10 };

        /// <summary>Black on light yellow, on orange, on salmon; white on red (256-colour backgrounds).</summary>
        private static readonly string[] BandColours = { "\u001b[30;48;5;229m", "\u001b[30;48;5;215m", "\u001b[30;48;5;203m", "\u001b[97;48;5;160m" };
        private const string Reset = "\u001b[0m";
        private const string EndOfRowMark = "¶";

        private readonly bool _colour;
        private readonly int _width;

        /// <param name="colour">ANSI colours (true) or a line of digits under the text (false).</param>
        /// <param name="width">Columns of text per output line before wrapping.</param>
        public SurprisalHighlighter(bool colour, int width)
        {
            _colour = colour;
            _width = Math.Max(10, width);
        }

        /// <summary>What the highlighting means, in one or two lines.</summary>
        public IEnumerable<string> Legend()
        {
            if (_colour)
            {
                var bands = BandStarts.Select((start, i) =>
                    $"{BandColours[i]} {(i + 1 < BandStarts.Length ? $"{start:0}-{BandStarts[i + 1]:0}" : $"{start:0}+")} bits {Reset}");
                yield return "Background = the character's surprisal -log2 p(character | line so far): " + string.Join(" ", bands) + ";";
                yield return $"below {BandStarts[0]:0} bits (better than a 1-in-4 guess) not highlighted. {EndOfRowMark} = the end of the line.";
            }
            else
            {
                yield return "The digit under a character is its surprisal -log2 p(character | line so far) in whole bits";
                yield return $"(9 = 9 or more; blank = below {BandStarts[0]:0} bits, i.e. better than a 1-in-4 guess). {EndOfRowMark} = the end of the line.";
            }
        }

        /// <summary>The output lines for one scored row (from <see cref="CharRnnTransformer.ScoreCharacters"/>), each starting with <paramref name="indent"/>.</summary>
        public IEnumerable<string> Render(IReadOnlyList<CharacterScore> scores, string indent)
        {
            var cells = Cells(scores);
            for (int start = 0; start < cells.Count;)
            {
                int end = start, columns = 0;
                while (end < cells.Count && (end == start || columns + cells[end].Width <= _width))
                    columns += cells[end++].Width;
                var segment = cells.Skip(start).Take(end - start).ToList();
                start = end;

                if (_colour)
                {
                    yield return indent + Coloured(segment);
                    continue;
                }
                yield return indent + string.Concat(segment.Select(c => c.Text));
                string markers = string.Concat(segment.Select(c => Marker(c.Bits).PadRight(c.Width)));
                if (markers.Trim().Length > 0) yield return indent + markers.TrimEnd();
            }
        }

        /// <summary>One displayed character and its surprisal; a zero-width character joins the cell before it.</summary>
        private sealed record Cell(string Text, int Width, double Bits);

        private static List<Cell> Cells(IReadOnlyList<CharacterScore> scores)
        {
            var cells = new List<Cell>(scores.Count);
            foreach (var score in scores)
            {
                double bits = score.Surprisal / Math.Log(2);
                if (score.IsEndOfRow)
                {
                    cells.Add(new Cell(EndOfRowMark, 1, bits));
                    continue;
                }
                var rune = Rune.GetRuneAt(score.Text, 0);
                // Tabs and other control characters would move the cursor: show a visible stand-in.
                string text = rune.Value == '\t' ? "→" : Rune.IsControl(rune) ? "·" : score.Text;
                int width = Rune.IsControl(rune) ? 1 : DisplayWidth.Of(rune);
                if (width == 0 && cells.Count > 0)
                {
                    var previous = cells[^1];
                    cells[^1] = previous with { Text = previous.Text + text, Bits = Math.Max(previous.Bits, bits) };
                }
                else
                    cells.Add(new Cell(text, Math.Max(1, width), bits));
            }
            return cells;
        }

        /// <summary>The cells with a background colour per band; neighbours in the same band share one escape sequence.</summary>
        private static string Coloured(IReadOnlyList<Cell> cells)
        {
            var text = new StringBuilder();
            int? open = null;
            foreach (var cell in cells)
            {
                int? band = Band(cell.Bits);
                if (band != open)
                {
                    if (open is not null) text.Append(Reset);
                    if (band is int b) text.Append(BandColours[b]);
                    open = band;
                }
                text.Append(cell.Text);
            }
            if (open is not null) text.Append(Reset);
            return text.ToString();
        }

        /// <summary>The highlighted band of a surprisal, or null below the first.</summary>
        private static int? Band(double bits)
        {
            int band = -1;
            for (int i = 0; i < BandStarts.Length; i++)
                if (bits >= BandStarts[i]) band = i;
            return band >= 0 ? band : null;
        }

        private static string Marker(double bits) => bits < BandStarts[0] ? " " : ((int)Math.Min(9, Math.Floor(bits))).ToString();
    }
}
