using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;

namespace Microsoft.ML.Generative.Imaging
{
    /// <summary>
    /// Writes the images of a pixel-vector column as one PNG grid: what every image family's <c>SaveImageGrid</c> does.
    /// </summary>
    internal static class ImageGridFile
    {
        /// <param name="images">Rows with the pixel column.</param>
        /// <param name="columnName">The pixel column (C x H x W levels per row).</param>
        /// <param name="channels">Colour channels (1 grey, 3 RGB).</param>
        /// <param name="height">Image height.</param>
        /// <param name="width">Image width.</param>
        /// <param name="levels">Pixel levels of the values, scaled to 0..255.</param>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="columns">Images per grid row; null: about the square root of the count.</param>
        /// <param name="pixelSize">Each pixel drawn as a pixelSize x pixelSize square (1 to 64).</param>
        public static void Save(IDataView images, string columnName, int channels, int height, int width, int levels, string path,
            int? columns, int pixelSize)
        {
            if (pixelSize < 1 || pixelSize > 64) throw new ArgumentOutOfRangeException(nameof(pixelSize), pixelSize, "pixelSize must be between 1 and 64.");
            if (images is null) throw new ArgumentNullException(nameof(images));
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("path must name a file.", nameof(path));
            if (columns is int c && c < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be >= 1.");
            int dimensions = channels * height * width;
            var (column, _) = VectorColumn.Check(images.Schema, columnName, dimensions);
            var list = new List<float[]>();
            var buffer = default(VBuffer<float>);
            using (var cursor = images.GetRowCursor(new[] { column }))
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                while (cursor.MoveNext())
                {
                    getter(ref buffer);
                    var row = new float[dimensions];
                    VectorColumn.CopyChecked(buffer, row, columnName, cursor.Position);
                    list.Add(row);
                }
            }
            int perRow = columns ?? (int)Math.Ceiling(Math.Sqrt(Math.Max(1, list.Count)));
            var (grid, gridWidth, gridHeight, gridChannels) = ImageGrid.Compose(list, channels, height, width, levels, perRow, pixelSize);
            if (gridChannels == 1) PngFile.WriteGray(path, gridWidth, gridHeight, grid);
            else PngFile.WriteRgb(path, gridWidth, gridHeight, grid);
        }
    }
}
