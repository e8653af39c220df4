using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;
using Samples.Cli;

namespace Samples.Imaging
{
    /// <summary>
    /// Reads images from a comma-separated file (optionally gzipped) with CsvHelper: one image per row, its pixel values as whole
    /// numbers in (channel, row, column) order. A first line whose first field is not a number is a header and is
    /// skipped. One column can be dropped (e.g. a class label), so files such as scikit-learn's digits (64 pixels, then
    /// the digit) or Kaggle's MNIST CSV (the digit, then 784 pixels) read as they are.
    /// </summary>
    internal static class CsvImageFile
    {
        /// <summary>Largest pixel value accepted: the image Real NVP takes at most 65,536 levels.</summary>
        public const int MaxPixelValue = 65535;

        /// <param name="path">The file, gzipped or not.</param>
        /// <param name="dropColumn">A 0-based column to ignore, negative counting from the end (-1 = the last); null for none.</param>
        /// <param name="channels">Channels per image (1 grey, 3 RGB).</param>
        /// <param name="height">Image height; null: from the row length (see <see cref="ImageSize"/>).</param>
        /// <param name="width">Image width; null: from the row length.</param>
        /// <param name="maxImages">Read only the first this many images; 0 for all.</param>
        /// <exception cref="DataException">The file is missing or empty, has rows of different lengths, a value that is not a
        /// whole number from 0 to 65535, or rows whose length does not fit the image size.</exception>
        public static ImageSet Read(string path, int? dropColumn, int channels, int? height, int? width, int maxImages = 0)
        {
            var options = new CsvReaderOptions
            {
                Separator = ',',
                HasHeader = false, // a header is recognised by its first field (see below), not assumed
                TrimWhitespace = true,
                SkipEmptyLines = true,
                TrackLineNumbers = true,
                MalformedData = CsvMalformedDataHandling.Throw,
                FormatProvider = CultureInfo.InvariantCulture,
            };
            var images = new List<float[]>();
            var lineNumbers = new List<int>();
            int fieldCount = -1, firstLine = 0, drop = -1;
            (int Height, int Width) size = default;
            try
            {
                using var csv = CsvReader.Create(InputFile.OpenRead(path), options, leaveOpen: false);
                while ((maxImages == 0 || images.Count < maxImages) && csv.Read())
                {
                    int lineNumber = (int)csv.LineNumber;
                    if (fieldCount < 0)
                    {
                        (fieldCount, firstLine) = (csv.FieldCount, lineNumber);
                        drop = DropIndex(path, dropColumn, fieldCount);
                        int pixels = fieldCount - (drop >= 0 ? 1 : 0);
                        size = ImageSize(path, pixels, drop >= 0, channels, height, width);
                        if (!csv.TryParse<double>(0, out _))
                            continue; // a header row
                    }
                    else if (csv.FieldCount != fieldCount)
                        throw new DataException($"{path}, line {lineNumber}: {csv.FieldCount} fields, where line {firstLine} has {fieldCount}. Every row must hold one whole image.");
                    images.Add(ParseRow(path, lineNumber, csv, drop));
                    lineNumbers.Add(lineNumber);
                }
            }
            catch (CsvFormatException e)
            {
                throw new DataException($"{path}, line {e.LineNumber}: the quoting is broken ({e.Message})", e);
            }
            catch (InvalidDataException e)
            {
                throw new DataException($"{path} is damaged: it starts like a gzip file but cannot be decompressed ({e.Message}).", e);
            }
            catch (IOException e)
            {
                throw new DataException($"cannot read {path}: {e.Message}", e);
            }

            if (images.Count == 0)
                throw new DataException(fieldCount < 0 ? $"{path} is empty; expected one image per row, pixel values separated by commas." : $"{path} has a header but no data rows.");
            return new ImageSet(path, images, channels, size.Height, size.Width, lineNumbers, format: "CSV");
        }

        /// <summary>
        /// The height and width of images with <paramref name="pixels"/> values per row: as given; the missing one of the
        /// two from the other; or, with neither given, a square (pixels / channels must be a perfect square).
        /// </summary>
        private static (int Height, int Width) ImageSize(string path, int pixels, bool dropped, int channels, int? height, int? width)
        {
            string values = $"{path}: rows have {pixels} pixel values{(dropped ? " (without the dropped column)" : "")}";
            if (pixels % channels != 0)
                throw new DataException($"{values}, which is not a multiple of --channels {channels}.");
            int perChannel = pixels / channels;
            switch (height, width)
            {
                case (int h, int w):
                    if ((long)h * w != perChannel)
                        throw new DataException($"{values}, but --channels {channels} --height {h} --width {w} make {(long)channels * h * w}.");
                    return (h, w);
                case (int h, null):
                    if (perChannel % h != 0) throw new DataException($"{values}: that is no whole number of rows of height {h}{PerChannel(channels)}.");
                    return (h, perChannel / h);
                case (null, int w):
                    if (perChannel % w != 0) throw new DataException($"{values}: that is no whole number of columns of width {w}{PerChannel(channels)}.");
                    return (perChannel / w, w);
                default:
                    int side = (int)Math.Round(Math.Sqrt(perChannel));
                    if (side * side != perChannel)
                        throw new DataException($"{values}, not a square image{PerChannel(channels)}: give the size with --height and --width (and --channels for colour).");
                    return (side, side);
            }
        }

        private static string PerChannel(int channels) => channels == 1 ? "" : $" in each of {channels} channels";

        /// <summary>The 0-based index of the column to drop, or -1 for none.</summary>
        private static int DropIndex(string path, int? dropColumn, int fieldCount)
        {
            if (dropColumn is not int column) return -1;
            int index = column < 0 ? fieldCount + column : column;
            if (index < 0 || index >= fieldCount)
                throw new DataException($"--drop-column {column} is outside the {fieldCount} columns of {path} (0 to {fieldCount - 1}, or -1 for the last).");
            if (fieldCount == 1)
                throw new DataException($"{path} has a single column; dropping it leaves no pixels.");
            return index;
        }

        private static float[] ParseRow(string path, int lineNumber, CsvReader csv, int drop)
        {
            var image = new float[csv.FieldCount - (drop >= 0 ? 1 : 0)];
            int k = 0;
            for (int j = 0; j < csv.FieldCount; j++)
            {
                if (j == drop) continue;
                if (!csv.TryParse(j, out double value) || !double.IsFinite(value))
                    throw new DataException($"{path}, line {lineNumber}, column {j} (counting from 0): '{Shorten(csv.GetString(j))}' is not a number; pixel values must be whole numbers from 0 to {MaxPixelValue}.");
                if (value != Math.Floor(value) || value < 0 || value > MaxPixelValue)
                    throw new DataException($"{path}, line {lineNumber}, column {j} (counting from 0): pixel value {csv.GetString(j)} is {(value != Math.Floor(value) ? "not a whole number" : "out of range")}; " +
                        $"pixel values must be whole numbers (levels) from 0 to {MaxPixelValue}. Scaled images (e.g. 0..1) must be converted back to levels first.");
                image[k++] = (float)value;
            }
            return image;
        }

        private static string Shorten(string text) => text.Length <= 20 ? text : text[..17] + "...";
    }
}
