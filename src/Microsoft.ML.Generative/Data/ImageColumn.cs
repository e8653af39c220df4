using System;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>Reads the pixel column of an image family's training data, checked, in the model's levels.</summary>
    internal static class ImageColumn
    {
        /// <summary>
        /// Every image of <paramref name="column"/>: C x H x W values per row (a declared or actual size that differs is
        /// refused, naming the column and the expected size), at least 2 images, each value an integer level in range,
        /// converted to the model's levels in place.
        /// </summary>
        public static FeatureMatrix ReadTraining(IDataView input, string column, int channels, int height, int width, PixelLevels pixels,
            Action throwIfCanceled)
        {
            int d = channels * height * width;
            string expected = $"{d} = {channels} x {height} x {width} (Channels x Height x Width)";
            var (_, declaredSize) = VectorColumn.Check(input.Schema, column);
            if (declaredSize != 0 && declaredSize != d)
                throw new ArgumentOutOfRangeException(nameof(input), $"Input column '{column}' has {declaredSize} values per row; expected {expected}.");
            var data = FeatureMatrix.Read(input, column, throwIfCanceled);
            if (data.Features != d)
                throw new InvalidOperationException($"Column '{column}', row 0: the vector has {data.Features} values; expected {expected}.");
            if (data.Rows < 2)
                throw new InvalidOperationException($"The training data has {data.Rows} image in column '{column}'; expected at least 2.");
            for (int r = 0; r < data.Rows; r++)
                pixels.CheckAndConvert(data.Values.AsSpan(r * d, d), column, r);
            return data;
        }
    }
}
