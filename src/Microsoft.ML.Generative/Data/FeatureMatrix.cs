using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>A float-vector column materialised as a dense row-major matrix, for training.</summary>
    internal sealed class FeatureMatrix
    {
        private FeatureMatrix(float[] values, int rows, int features)
        {
            Values = values;
            Rows = rows;
            Features = features;
        }

        public float[] Values { get; }
        public int Rows { get; }
        public int Features { get; }

        public ReadOnlySpan<float> Row(int i) => new ReadOnlySpan<float>(Values, i * Features, Features);

        /// <summary>
        /// A seeded random hold-out: floor(rows x fraction) rows for validation (fewer if that would leave under 2 for
        /// training), the rest for training; both as dense row-major arrays.
        /// </summary>
        public (float[] train, int trainRows, float[] validation, int validationRows) SplitForValidation(float fraction, int seed)
        {
            var (order, validationRows) = ValidationOrder(fraction, seed);
            return Split(order, validationRows);
        }

        /// <summary>The split of <see cref="ValidationOrder"/>'s result: its first <paramref name="validationRows"/> rows held out, the rest for training.</summary>
        public (float[] train, int trainRows, float[] validation, int validationRows) Split(int[] order, int validationRows)
        {
            int d = Features, n = Rows;
            float[] Gather(int from, int count)
            {
                var result = new float[(long)count * d];
                for (int r = 0; r < count; r++)
                    Row(order[from + r]).CopyTo(result.AsSpan(r * d, d));
                return result;
            }
            return (Gather(validationRows, n - validationRows), n - validationRows, Gather(0, validationRows), validationRows);
        }

        /// <summary>
        /// The row order of <see cref="SplitForValidation"/>: a seeded permutation whose first <c>validationRows</c> rows
        /// are held out and the rest train, for splitting other per-row data (labels) the same way.
        /// </summary>
        public (int[] order, int validationRows) ValidationOrder(float fraction, int seed)
        {
            int n = Rows;
            int validationRows = (int)Math.Floor(n * (double)fraction);
            if (n - validationRows < 2) validationRows = Math.Max(0, n - 2);
            var order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Training.SeededShuffle.Shuffle(order, new Random(seed));
            return (order, validationRows);
        }

        /// <summary>
        /// Reads every row of <paramref name="columnName"/>. Throws, naming the column and row, for a missing or
        /// mistyped column, a vector whose length differs from the first row's, or a NaN/infinite value.
        /// </summary>
        public static FeatureMatrix Read(IDataView data, string columnName, Action throwIfCanceled)
        {
            var (column, declaredSize) = VectorColumn.Check(data.Schema, columnName);
            int features = declaredSize;
            var values = new List<float>();
            var buffer = default(VBuffer<float>);
            float[] row = declaredSize > 0 ? new float[declaredSize] : null;
            int rows = 0;
            using (var cursor = data.GetRowCursor(new[] { column }))
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                while (cursor.MoveNext())
                {
                    if ((rows & 1023) == 0) throwIfCanceled();
                    getter(ref buffer);
                    if (row == null)
                    {
                        if (buffer.Length == 0)
                            throw new InvalidOperationException($"Column '{columnName}', row {cursor.Position}: the vector is empty; expected at least one feature.");
                        features = buffer.Length;
                        row = new float[features];
                    }
                    VectorColumn.CopyChecked(buffer, row, columnName, cursor.Position);
                    values.AddRange(row);
                    rows++;
                    if ((long)rows * features > int.MaxValue)
                        throw new InvalidOperationException($"Column '{columnName}': more than {int.MaxValue} values; train on a sample of the rows.");
                }
            }
            if (rows == 0)
                throw new InvalidOperationException($"The training data has no rows (column '{columnName}'); expected at least 2.");
            return new FeatureMatrix(values.ToArray(), rows, features);
        }
    }
}
