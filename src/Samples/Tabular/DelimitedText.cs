using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;
using Samples.Cli;

namespace Samples.Tabular
{
    /// <summary>
    /// The fields of a delimited text file as strings, read by CsvHelper (RFC 4180: quoted fields, "" for a quote, line
    /// breaks inside quotes; blank lines skipped; spaces around fields trimmed): the column names (from the header, or
    /// col1, col2, ...) and the data rows with the line each starts on, so messages can point into the file.
    /// </summary>
    internal sealed class DelimitedText
    {
        private DelimitedText(string[] header, List<string[]> rows, List<int> lineNumbers)
        {
            Header = header;
            Rows = rows;
            LineNumbers = lineNumbers;
        }

        public string[] Header { get; }
        public IReadOnlyList<string[]> Rows { get; }
        /// <summary>1-based line of each row in the file.</summary>
        public IReadOnlyList<int> LineNumbers { get; }

        /// <param name="reader">The text, positioned at the first line to read.</param>
        /// <param name="source">The file's name, for messages.</param>
        /// <param name="separator">Field separator, e.g. ',' or '\t'.</param>
        /// <param name="hasHeader">True: the first line names the columns. False: they are named col1, col2, ...</param>
        /// <param name="linesBefore">Lines of the file before <paramref name="reader"/>'s position (for line numbers).</param>
        /// <exception cref="DataException">The file is empty, a row has another number of fields than the first, or the quoting is broken.</exception>
        public static DelimitedText Read(TextReader reader, string source, char separator, bool hasHeader, int linesBefore = 0)
        {
            var options = new CsvReaderOptions
            {
                Separator = separator,
                HasHeader = false, // read the first record like the others, to check its field count the same way
                TrimWhitespace = true,
                SkipEmptyLines = true,
                TrackLineNumbers = true,
                // Broken quoting is an error that names the line, not a guess at what was meant.
                MalformedData = CsvMalformedDataHandling.Throw,
                FormatProvider = CultureInfo.InvariantCulture,
            };
            string[] header = null;
            var rows = new List<string[]>();
            var lineNumbers = new List<int>();
            using var csv = CsvReader.Create(reader, options, leaveOpen: true);
            try
            {
                while (csv.Read())
                {
                    var fields = new string[csv.FieldCount];
                    for (int i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
                    int line = linesBefore + (int)csv.LineNumber;
                    if (header is null)
                    {
                        header = hasHeader ? fields : ColumnNames(fields.Length);
                        if (hasHeader) continue;
                    }
                    if (fields.Length != header.Length)
                        throw new DataException($"{source}, line {line}: {fields.Length} field(s); expected {header.Length} like the {(hasHeader ? "header" : "first line")}. " +
                                                $"Is the separator '{(separator == '\t' ? "\\t" : separator.ToString())}' right?");
                    rows.Add(fields);
                    lineNumbers.Add(line);
                }
            }
            catch (CsvFormatException e)
            {
                // CsvHelper's message names the record, the line (counted from the reader's start) and the problem.
                throw new DataException($"{source}, line {linesBefore + e.LineNumber}: the quoting is broken ({e.Message})", e);
            }
            if (header is null) throw new DataException($"{source} is empty.");
            return new DelimitedText(header, rows, lineNumbers);
        }

        private static string[] ColumnNames(int count)
        {
            var names = new string[count];
            for (int i = 0; i < count; i++) names[i] = $"col{i + 1}";
            return names;
        }
    }
}
