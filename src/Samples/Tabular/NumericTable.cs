using System.Collections.Generic;
using System.Linq;

namespace Samples.Tabular
{
    /// <summary>
    /// Rows of float features in memory, an optional anomaly label per row (1 = anomaly, 0 = normal) and the
    /// source line of each row, so results can point back into the user's file.
    /// </summary>
    internal sealed class NumericTable
    {
        public NumericTable(IReadOnlyList<string> featureNames, float[][] rows, float[] labels, int[] lineNumbers)
        {
            FeatureNames = featureNames;
            Rows = rows;
            Labels = labels;
            LineNumbers = lineNumbers;
        }

        public IReadOnlyList<string> FeatureNames { get; }
        public float[][] Rows { get; }
        /// <summary>Null when the data has no label column.</summary>
        public float[] Labels { get; }
        /// <summary>1-based line of each row in its source file.</summary>
        public int[] LineNumbers { get; }

        public int Count => Rows.Length;
        public bool HasLabels => Labels is not null;

        /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
        public NumericTable Select(IEnumerable<int> indices)
        {
            var index = indices.ToArray();
            return new NumericTable(FeatureNames,
                index.Select(i => Rows[i]).ToArray(),
                Labels is null ? null : index.Select(i => Labels[i]).ToArray(),
                index.Select(i => LineNumbers[i]).ToArray());
        }

        /// <summary>The rows whose label is <paramref name="label"/>.</summary>
        public NumericTable WhereLabel(float label)
            => Select(Enumerable.Range(0, Count).Where(i => Labels[i] == label));
    }
}
