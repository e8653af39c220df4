using System;
using System.Collections.Generic;

namespace Microsoft.ML.Generative.Imaging
{
    /// <summary>Lays out equally sized images (planar C x H x W pixel vectors) in a grid with a 1-pixel gap, as 8-bit bytes.</summary>
    internal static class ImageGrid
    {
        /// <summary>
        /// The grid as row-major bytes (grey for 1 channel, RGB for 3), its width and height. Pixel values are mapped
        /// from [0, levels - 1] to [0, 255] and clamped; each is drawn as a <paramref name="pixelSize"/> x
        /// <paramref name="pixelSize"/> square (small images such as 8x8 digits are easier to see enlarged).
        /// </summary>
        public static (byte[] pixels, int width, int height, int channels) Compose(IReadOnlyList<float[]> images, int channels, int height, int width,
            int levels, int columns, int pixelSize = 1)
        {
            if (pixelSize < 1) throw new ArgumentOutOfRangeException(nameof(pixelSize), pixelSize, "must be >= 1.");
            int sourceHeight = height, sourceWidth = width;
            height *= pixelSize;
            width *= pixelSize;
            if (channels != 1 && channels != 3)
                throw new ArgumentException($"An image grid needs 1 (grey) or 3 (RGB) channels; the images have {channels}.");
            if (images.Count == 0) throw new ArgumentException("There are no images to lay out.");
            columns = Math.Max(1, Math.Min(columns, images.Count));
            int rows = (images.Count + columns - 1) / columns;
            const int gap = 1;
            int gridWidth = columns * (width + gap) + gap, gridHeight = rows * (height + gap) + gap;
            var grid = new byte[gridWidth * gridHeight * channels];
            Array.Fill(grid, (byte)255); // white gaps
            double toByte = 255.0 / Math.Max(1, levels - 1);
            for (int k = 0; k < images.Count; k++)
            {
                var image = images[k];
                int left = gap + (k % columns) * (width + gap), top = gap + (k / columns) * (height + gap);
                for (int c = 0; c < channels; c++)
                    for (int y = 0; y < height; y++)
                        for (int x = 0; x < width; x++)
                        {
                            double v = image[(c * sourceHeight + y / pixelSize) * sourceWidth + x / pixelSize] * toByte;
                            grid[((top + y) * gridWidth + left + x) * channels + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                        }
            }
            return (grid, gridWidth, gridHeight, channels);
        }
    }
}
