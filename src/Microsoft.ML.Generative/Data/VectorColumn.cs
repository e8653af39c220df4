using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>Checks and reads a float-vector input column, with errors that name the column, the row and what was expected.</summary>
    internal static class VectorColumn
    {
        /// <summary>
        /// Finds <paramref name="name"/> and checks it is a vector of Single; returns its declared size (0 = variable).
        /// When <paramref name="expectedSize"/> is given, a known size must match it.
        /// </summary>
        public static (DataViewSchema.Column column, int size) Check(DataViewSchema schema, string name, int? expectedSize = null)
        {
            var found = schema.GetColumnOrNull(name);
            if (found is null)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' was not found. Expected a vector of Single (float) features; build one with ml.Transforms.Concatenate(\"{name}\", ...).");
            var column = found.Value;
            if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' has type {column.Type}; expected a vector of Single (float). Convert with ml.Transforms.Conversion.ConvertType and/or ml.Transforms.Concatenate.");
            int size = vector.Size;
            if (expectedSize is int e && size != 0 && size != e)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Input column '{name}' has {size} features; the model was trained on {e}.");
            return (column, size);
        }

        /// <summary>Copies a row's vector into <paramref name="destination"/>, checking its length and that every value is finite.</summary>
        public static void CopyChecked(in VBuffer<float> value, Span<float> destination, string name, long row)
        {
            if (value.Length != destination.Length)
                throw new InvalidOperationException($"Column '{name}', row {row}: the vector has {value.Length} values; expected {destination.Length}.");
            value.CopyTo(destination);
            for (int i = 0; i < destination.Length; i++)
            {
                if (!float.IsFinite(destination[i]))
                    throw new InvalidOperationException($"Column '{name}', row {row}, slot {i}: value is {destination[i]}; expected a finite number. Remove or impute missing values first (for example ml.Transforms.ReplaceMissingValues or ml.Data.FilterRowsByMissingValues).");
            }
        }
    }
}
