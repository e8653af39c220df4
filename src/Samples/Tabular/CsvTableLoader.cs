using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Samples.Cli;

namespace Samples.Tabular
{
    /// <summary>
    /// Loads a user's CSV into a <see cref="NumericTable"/>: picks the label and feature columns, parses numbers
    /// with the invariant culture and keeps empty / NA cells as NaN (reported, and rejected later by the flow
    /// with a message naming the column and row).
    /// </summary>
    internal static class CsvTableLoader
    {
        private static readonly string[] MissingTokens = { "", "na", "nan", "n/a", "null", "?" };

        /// <param name="path">The CSV file.</param>
        /// <param name="separator">Field separator.</param>
        /// <param name="hasHeader">Whether the first line names the columns.</param>
        /// <param name="labelColumn">Optional label column: 1/true = anomaly, 0/false = normal.</param>
        /// <param name="featureColumns">Optional feature columns; default every numeric column except the label.</param>
        /// <param name="log">Receives notes (skipped columns, missing values).</param>
        public static NumericTable Load(string path, char separator, bool hasHeader, string labelColumn, IReadOnlyList<string> featureColumns, Action<string> log)
        {
            if (!File.Exists(path)) throw new DataException($"file not found: {path}");
            DelimitedText csv;
            try
            {
                using var reader = new StreamReader(path);
                csv = DelimitedText.Read(reader, path, separator, hasHeader);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataException($"cannot read {path}: {e.Message}", e);
            }
            if (csv.Rows.Count == 0) throw new DataException($"{path} has no data rows.");

            int labelIndex = -1;
            if (labelColumn is not null)
            {
                labelIndex = ColumnIndex(path, csv, labelColumn, "label");
                if (featureColumns?.Contains(labelColumn) == true)
                    throw new DataException($"column '{labelColumn}' cannot be both the label and a feature.");
            }

            int[] featureIndices;
            if (featureColumns is not null)
            {
                featureIndices = featureColumns.Select(name => ColumnIndex(path, csv, name, "feature")).ToArray();
                foreach (int j in featureIndices)
                    if (FirstNonNumeric(csv, j) is int bad)
                        throw new DataException($"{path}: feature column '{csv.Header[j]}' is not numeric: line {csv.LineNumbers[bad]} has '{csv.Rows[bad][j]}'.");
            }
            else
            {
                var candidates = Enumerable.Range(0, csv.Header.Length).Where(j => j != labelIndex).ToList();
                featureIndices = candidates.Where(j => FirstNonNumeric(csv, j) is null && !AllMissing(csv, j)).ToArray();
                var skipped = candidates.Except(featureIndices).Select(j => csv.Header[j]).ToList();
                if (skipped.Count > 0) log($"Ignoring non-numeric column(s): {string.Join(", ", skipped)}.");
            }
            if (featureIndices.Length == 0)
                throw new DataException($"{path} has no numeric feature columns{(labelColumn is null ? "" : $" besides the label '{labelColumn}'")}.");

            var rows = new float[csv.Rows.Count][];
            var labels = labelIndex >= 0 ? new float[csv.Rows.Count] : null;
            var missing = new List<string>();
            for (int r = 0; r < rows.Length; r++)
            {
                var fields = csv.Rows[r];
                rows[r] = new float[featureIndices.Length];
                for (int k = 0; k < featureIndices.Length; k++)
                {
                    rows[r][k] = ParseNumber(fields[featureIndices[k]]) ?? float.NaN;
                    if (float.IsNaN(rows[r][k])) missing.Add($"'{csv.Header[featureIndices[k]]}' line {csv.LineNumbers[r]}");
                }
                if (labels is not null) labels[r] = ParseLabel(path, fields[labelIndex], csv.Header[labelIndex], csv.LineNumbers[r]);
            }
            if (missing.Count > 0)
                log($"Warning: {missing.Count} missing value(s), e.g. {string.Join(", ", missing.Take(3))}. Real NVP needs complete rows: fill or drop them.");

            return new NumericTable(featureIndices.Select(j => csv.Header[j]).ToArray(), rows, labels, csv.LineNumbers.ToArray());
        }

        private static int ColumnIndex(string path, DelimitedText csv, string name, string role)
        {
            int index = Array.IndexOf(csv.Header, name);
            if (index < 0)
                throw new DataException($"{path}: {role} column '{name}' not found. Columns: {string.Join(", ", csv.Header.Take(40))}{(csv.Header.Length > 40 ? ", ..." : "")}.");
            return index;
        }

        /// <summary>Null when every cell of column j is a number or a missing-value token; else the first offending row.</summary>
        private static int? FirstNonNumeric(DelimitedText csv, int j)
        {
            for (int r = 0; r < csv.Rows.Count; r++)
                if (ParseNumber(csv.Rows[r][j]) is null && !IsMissing(csv.Rows[r][j]))
                    return r;
            return null;
        }

        private static bool AllMissing(DelimitedText csv, int j) => csv.Rows.All(fields => IsMissing(fields[j]));

        private static bool IsMissing(string field) => MissingTokens.Contains(field.ToLowerInvariant());

        private static float? ParseNumber(string field)
            => float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && !float.IsInfinity(value) ? value : null;

        private static float ParseLabel(string path, string field, string column, int line)
        {
            switch (field.ToLowerInvariant())
            {
                case "1": case "true": case "1.0": return 1f;
                case "0": case "false": case "0.0": return 0f;
                default: throw new DataException($"{path}: label column '{column}' has '{field}' at line {line}; expected 1/true (anomaly) or 0/false (normal).");
            }
        }
    }
}
