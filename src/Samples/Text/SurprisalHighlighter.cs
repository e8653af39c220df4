using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.ML.Generative;
using Spectre.Console;

namespace Samples.Text
{
    /// <summary>
    /// Writes a line with each character's surprisal (-log2 p, in bits) made visible: a background colour per surprisal
    /// band (Spectre.Console styles, for terminals), or a plain-text line of digits under the characters (for files, pipes
    /// and --no-color), the digit being the surprisal in whole bits. Long lines are wrapped at a fixed width, so the digits
    /// stay under their characters. The end of the line is shown as '¶'.
    /// </summary>
    internal sealed class SurprisalHighlighter
    {
        /// <summary>Lower bounds (in bits) of the highlighted bands; below the first, a character is not highlighted.</summary>
        private static readonly double[] BandStarts = { 2, 4, 7, 10 };

        /// <summary>Black on light yellow, on orange, on salmon; white on red (colours of the 256-colour palette, which
        /// Spectre.Console brings down to what the terminal has).</summary>
        private static readonly Style[] BandStyles =
        {
            new(Color.Black, Color.FromInt32(229)), new(Color.Black, Color.FromInt32(215)), new(Color.Black, Color.FromInt32(203)),
            new(Color.White, Color.FromInt32(160)),
        };
        private const string EndOfRowMark = "¶";

        private readonly bool _colour;
        private readonly int _width;

        /// <param name="colour">Background colours (true) or a line of digits under the text (false).</param>
        /// <param name="width">Columns of text per output line before wrapping.</param>
        public SurprisalHighlighter(bool colour, int width)
        {
            _colour = colour;
            _width = Math.Max(10, width);
        }

        /// <summary>Writes what the highlighting means, in two lines indented by <paramref name="indent"/>.</summary>
        public void WriteLegend(string indent)
        {
            if (_colour)
            {
                var bands = new Paragraph(indent + "Background = the character's surprisal -log2 p(character | line so far):");
                for (int i = 0; i < BandStarts.Length; i++)
                    bands.Append(" ").Append($" {(i + 1 < BandStarts.Length ? $"{BandStarts[i]:0}-{BandStarts[i + 1]:0}" : $"{BandStarts[i]:0}+")} bits ", BandStyles[i]);
                AnsiConsole.Write(bands.Append(";"));
                AnsiConsole.WriteLine();
                Console.WriteLine($"{indent}below {BandStarts[0]:0} bits (better than a 1-in-4 guess) not highlighted. {EndOfRowMark} = the end of the line.");
            }
            else
            {
                Console.WriteLine(indent + "The digit under a character is its surprisal -log2 p(character | line so far) in whole bits");
                Console.WriteLine(indent + $"(9 = 9 or more; blank = below {BandStarts[0]:0} bits, i.e. better than a 1-in-4 guess). {EndOfRowMark} = the end of the line.");
            }
        }

        /// <summary>Writes one scored row (from <see cref="CharRnnTransformer.ScoreCharacters"/>), each output line starting with <paramref name="indent"/>.</summary>
        public void Write(IReadOnlyList<CharacterScore> scores, string indent)
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
                    AnsiConsole.Write(Coloured(indent, segment));
                    AnsiConsole.WriteLine();
                    continue;
                }
                Console.WriteLine(indent + string.Concat(segment.Select(c => c.Text)));
                string markers = string.Concat(segment.Select(c => Marker(c.Bits).PadRight(c.Width)));
                if (markers.Trim().Length > 0) Console.WriteLine(indent + markers.TrimEnd());
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

        /// <summary>The cells with the style of their band; neighbours in the same band share one piece of text.</summary>
        private static Paragraph Coloured(string indent, IReadOnlyList<Cell> cells)
        {
            var line = new Paragraph(indent);
            for (int i = 0; i < cells.Count;)
            {
                int? band = Band(cells[i].Bits);
                var text = new StringBuilder();
                for (; i < cells.Count && Band(cells[i].Bits) == band; i++) text.Append(cells[i].Text);
                if (band is int b) line.Append(text.ToString(), BandStyles[b]);
                else line.Append(text.ToString());
            }
            return line;
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
