using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>Checks and reads a text input column, with errors that name the column and what was expected.</summary>
    internal static class TextColumn
    {
        public static DataViewSchema.Column Check(DataViewSchema schema, string name)
        {
            var found = schema.GetColumnOrNull(name);
            if (found is null)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found. Expected a Text (string) column.");
            if (found.Value.Type is not TextDataViewType)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' has type {found.Value.Type}; expected Text (string). Convert it with ml.Transforms.Conversion.ConvertType(\"{name}\", outputKind: DataKind.String) or pick a text column.");
            return found.Value;
        }

        /// <summary>
        /// Reads every row of the text column and, when <paramref name="conditionColumn"/> is given, of a float-vector
        /// column (its size is taken from the schema, or from the first row when the schema does not fix it).
        /// </summary>
        public static (List<string> texts, float[] conditions, int conditionSize) Read(IDataView data, string textColumn, string conditionColumn, Action throwIfCanceled)
        {
            var text = Check(data.Schema, textColumn);
            var columns = new List<DataViewSchema.Column> { text };
            int conditionSize = 0;
            DataViewSchema.Column? condition = null;
            if (conditionColumn != null)
            {
                var (column, size) = VectorColumn.Check(data.Schema, conditionColumn);
                condition = column;
                conditionSize = size;
                columns.Add(column);
            }
            var texts = new List<string>();
            var conditions = new List<float>();
            using (var cursor = data.GetRowCursor(columns))
            {
                var getText = cursor.GetGetter<ReadOnlyMemory<char>>(text);
                var getCondition = condition is null ? null : cursor.GetGetter<VBuffer<float>>(condition.Value);
                var value = default(ReadOnlyMemory<char>);
                var vector = default(VBuffer<float>);
                float[] row = null;
                while (cursor.MoveNext())
                {
                    if ((texts.Count & 1023) == 0) throwIfCanceled();
                    getText(ref value);
                    texts.Add(value.ToString());
                    if (getCondition is null) continue;
                    getCondition(ref vector);
                    if (row is null)
                    {
                        if (conditionSize == 0) conditionSize = vector.Length;
                        if (conditionSize == 0)
                            throw new InvalidOperationException($"Column '{conditionColumn}', row {cursor.Position}: the vector is empty; expected at least one value.");
                        row = new float[conditionSize];
                    }
                    VectorColumn.CopyChecked(vector, row, conditionColumn, cursor.Position);
                    conditions.AddRange(row);
                }
            }
            return (texts, condition is null ? null : conditions.ToArray(), conditionSize);
        }
    }
}
