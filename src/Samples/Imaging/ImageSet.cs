using System;
using System.Collections.Generic;
using System.Linq;

namespace Samples.Imaging
{
    /// <summary>
    /// Equally sized images read from a file: one pixel vector per image, Channels x Height x Width integer levels in
    /// (channel, row, column) order, as the image Real NVP takes them. Knows where each image came from, for messages.
    /// </summary>
    internal sealed class ImageSet
    {
        private readonly IReadOnlyList<int> _lineNumbers;
        private readonly int _firstIndex;

        /// <param name="path">The file the images come from.</param>
        /// <param name="images">Pixel vectors of channels x height x width values each.</param>
        /// <param name="lineNumbers">A CSV file's line number of every image, or null (images are counted from 1 instead).</param>
        /// <param name="format">"IDX" or "CSV", for the description.</param>
        public ImageSet(string path, IReadOnlyList<float[]> images, int channels, int height, int width, IReadOnlyList<int> lineNumbers, string format)
            : this(path, images, channels, height, width, lineNumbers, format, firstIndex: 0) { }

        private ImageSet(string path, IReadOnlyList<float[]> images, int channels, int height, int width, IReadOnlyList<int> lineNumbers, string format, int firstIndex)
        {
            Path = path;
            Images = images;
            Channels = channels;
            Height = height;
            Width = width;
            _lineNumbers = lineNumbers;
            Format = format;
            _firstIndex = firstIndex;
        }

        public string Path { get; }
        public IReadOnlyList<float[]> Images { get; }
        public int Count => Images.Count;
        public int Channels { get; }
        public int Height { get; }
        public int Width { get; }
        public string Format { get; }
        public bool IsCsv => Format == "CSV";

        /// <summary>Values per image: Channels x Height x Width.</summary>
        public int Dimensions => Channels * Height * Width;

        /// <summary>"28x28" or "3x32x32 (channels x height x width)".</summary>
        public string Size => Channels == 1 ? $"{Height}x{Width}" : $"{Channels}x{Height}x{Width} (channels x height x width)";

        /// <summary>The largest pixel value of all images (0 for none).</summary>
        public int MaxValue => Images.Count == 0 ? 0 : (int)Images.Max(image => image.Max());

        /// <summary>Where image <paramref name="index"/> is in the file: "line 17" (CSV) or "image 5" (counted from 1).</summary>
        public string Where(int index)
            => _lineNumbers is null ? $"image {_firstIndex + index + 1}" : $"line {_lineNumbers[_firstIndex + index]}";

        /// <summary>Images <paramref name="start"/> .. start + count - 1, still naming their place in the file.</summary>
        public ImageSet Range(int start, int count)
        {
            if (start < 0 || count < 0 || start + count > Count) throw new ArgumentOutOfRangeException(nameof(count));
            var images = Images.Skip(start).Take(count).ToArray();
            return new ImageSet(Path, images, Channels, Height, Width, _lineNumbers, Format, _firstIndex + start);
        }
    }
}
