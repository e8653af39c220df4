using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Samples.Tabular
{
    /// <summary>Writes rows of floats as CSV with a header, quoting names that contain the separator or quotes.</summary>
    internal static class CsvWriter
    {
        public static void Write(string path, IReadOnlyList<string> header, IEnumerable<float[]> rows, char separator = ',')
        {
            using var writer = new StreamWriter(path);
            writer.WriteLine(string.Join(separator, header.Select(name => Quote(name, separator))));
            foreach (var row in rows)
                writer.WriteLine(string.Join(separator, row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        private static string Quote(string field, char separator)
            => field.Contains(separator) || field.Contains('"') ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }
}
