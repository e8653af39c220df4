using System;
using System.IO;
using System.Linq;
using Spectre.Console;
using PlainText = Spectre.Console.Text;

namespace Samples.Reporting
{
    /// <summary>
    /// Tables of results, drawn by Spectre.Console: with a border on a terminal, as plain aligned columns when output is
    /// redirected (so logs and tests read plain text). Cells are plain text, never Spectre markup, so file names and
    /// column names with brackets print as they are.
    /// </summary>
    internal static class ResultTable
    {
        /// <summary>Plain output is not wrapped: files and pipes have no width.</summary>
        private const int PlainWidth = 10_000;

        /// <summary>A table whose column headers are <paramref name="headers"/>; a header that starts with '&gt;' is right-aligned (numbers), without the '&gt;'.</summary>
        public static Table Create(params string[] headers)
        {
            var table = new Table { Border = Terminal.IsInteractive ? TableBorder.Rounded : TableBorder.None };
            foreach (var header in headers)
            {
                bool right = header.StartsWith('>');
                var column = new TableColumn(new PlainText(right ? header[1..] : header));
                table.AddColumn(right ? column.RightAligned() : column);
            }
            return table;
        }

        public static Table AddTextRow(this Table table, params string[] cells) => table.AddRow(cells.Select(c => new PlainText(c)));

        /// <summary>Writes the table indented by two spaces, like the lines around it.</summary>
        public static void Write(Table table)
        {
            var indented = new Padder(table, new Padding(2, 0, 0, 0));
            if (Terminal.IsInteractive)
            {
                AnsiConsole.Write(indented);
                return;
            }

            // Plain text: rendered by a console of its own that has no terminal width to wrap cells at, then written without
            // the padding Spectre leaves at the ends of lines.
            var text = new StringWriter();
            var plain = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(text),
            });
            plain.Profile.Width = PlainWidth;
            plain.Write(indented);
            foreach (var line in text.ToString().TrimEnd().Split('\n'))
                Console.WriteLine(line.TrimEnd());
        }
    }
}
