using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Samples.Tabular
{
    /// <summary>
    /// The fields of a delimited text file as strings: one header row (or generated names) and the data rows
    /// with their line numbers. Handles double-quoted fields (with "" for a quote), not line breaks inside them.
    /// </summary>
    internal sealed class CsvText
    {
        private CsvText(string[] header, List<string[]> rows, List<int> lineNumbers)
        {
            Header = header;
            Rows = rows;
            LineNumbers = lineNumbers;
        }

        public string[] Header { get; }
        public List<string[]> Rows { get; }
        public List<int> LineNumbers { get; }

        /// <param name="reader">The text, positioned at the first line to read.</param>
        /// <param name="separator">Field separator, e.g. ',' or '\t'.</param>
        /// <param name="hasHeader">True: the first line names the columns. False: they are named col1, col2, ...</param>
        /// <param name="firstLineNumber">Line number of the first line read (for messages).</param>
        public static CsvText Read(TextReader reader, char separator, bool hasHeader, int firstLineNumber = 1)
        {
            string[] header = null;
            var rows = new List<string[]>();
            var lineNumbers = new List<int>();
            int lineNumber = firstLineNumber - 1;
            string line;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (line.Trim().Length == 0) continue;
                var fields = SplitLine(line, separator);
                if (header is null)
                {
                    if (hasHeader)
                    {
                        header = fields;
                        continue;
                    }
                    header = new string[fields.Length];
                    for (int i = 0; i < header.Length; i++) header[i] = $"col{i + 1}";
                }
                if (fields.Length != header.Length)
                    throw new Cli.DataException($"line {lineNumber} has {fields.Length} field(s); expected {header.Length} like the {(hasHeader ? "header" : "first line")}. Is the separator '{Printable(separator)}' right?");
                rows.Add(fields);
                lineNumbers.Add(lineNumber);
            }
            if (header is null) throw new Cli.DataException("the file is empty.");
            return new CsvText(header, rows, lineNumbers);
        }

        private static string[] SplitLine(string line, char separator)
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else field.Append(c);
                }
                else if (c == '"') quoted = true;
                else if (c == separator) { fields.Add(field.ToString().Trim()); field.Clear(); }
                else field.Append(c);
            }
            fields.Add(field.ToString().Trim());
            return fields.ToArray();
        }

        private static string Printable(char c) => c == '\t' ? "\\t" : c.ToString();
    }
}
