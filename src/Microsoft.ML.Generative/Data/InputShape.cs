using System;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// Checks of an estimator's input columns in a <see cref="SchemaShape"/> (before any data is read), with messages that
    /// name the column and what was expected; the trained models check a <see cref="DataViewSchema"/> with
    /// <see cref="VectorColumn"/> and <see cref="TextColumn"/>.
    /// </summary>
    internal static class InputShape
    {
        /// <summary>Requires a vector of Single named <paramref name="name"/>; <paramref name="what"/> says what it holds ("features", "4096 pixel values").</summary>
        public static void FloatVector(SchemaShape shape, string name, string what = "features")
        {
            var column = shape.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Input column '{name}' was not found. Expected a vector of Single (float) {what}; build one with ml.Transforms.Concatenate(\"{name}\", ...).");
            if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Input column '{name}' has type {Describe(column)}; expected a vector of Single (float) {what}.");
        }

        /// <summary>Requires a scalar Text column named <paramref name="name"/>.</summary>
        public static void Text(SchemaShape shape, string name)
        {
            var column = shape.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Input column '{name}' was not found. Expected a Text (string) column.");
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Input column '{name}' has type {Describe(column)}; expected Text (string).");
        }

        private static string Describe(SchemaShape.Column column)
            => (column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "vector of ") + column.ItemType;
    }
}
