using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Samples.Cli;

namespace Samples.Imaging
{
    /// <summary>
    /// Reads an IDX image file as MNIST and Fashion-MNIST ship them ("train-images-idx3-ubyte", optionally gzipped): the
    /// magic number 0x00000803 (unsigned bytes, 3 dimensions), then the image count, rows and columns as big-endian
    /// 32-bit integers, then the pixels, one byte each, image by image and row by row. The images are grey (1 channel).
    /// </summary>
    internal static class IdxImageFile
    {
        /// <summary>Unsigned bytes (0x08), 3 dimensions: images x rows x columns.</summary>
        public const int ImageMagic = 0x00000803;
        /// <summary>Unsigned bytes, 1 dimension: the labels file that comes with the images.</summary>
        private const int LabelMagic = 0x00000801;

        /// <param name="path">The file, gzipped or not.</param>
        /// <param name="maxImages">Read only the first this many images; 0 for all.</param>
        /// <exception cref="DataException">The file is missing, is not an IDX image file, or ends early.</exception>
        public static ImageSet Read(string path, int maxImages = 0)
        {
            using var stream = InputFile.OpenRead(path);
            try
            {
                var header = new byte[16];
                int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
                if (got >= 4) CheckMagic(path, BinaryPrimitives.ReadInt32BigEndian(header));
                if (got < header.Length)
                    throw new DataException($"{path} is too short for an IDX image file: {got} bytes, where the header alone takes 16.");
                int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)), rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8)),
                    columns = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
                if (count < 1 || rows < 1 || columns < 1 || (long)rows * columns > 1 << 24)
                    throw new DataException($"{path}: the IDX header gives {count} images of {rows}x{columns} pixels; expected at least one image of a sensible size.");

                int take = maxImages > 0 ? Math.Min(count, maxImages) : count;
                int pixels = rows * columns;
                var images = new List<float[]>(take);
                var buffer = new byte[pixels];
                for (int n = 0; n < take; n++)
                {
                    if (stream.ReadAtLeast(buffer, pixels, throwOnEndOfStream: false) < pixels)
                        throw new DataException($"{path} ends inside image {n + 1}; its header promises {count} images of {rows}x{columns}. Is the file (or download) complete?");
                    var image = new float[pixels];
                    for (int i = 0; i < pixels; i++) image[i] = buffer[i];
                    images.Add(image);
                }
                return new ImageSet(path, images, channels: 1, rows, columns, lineNumbers: null, format: "IDX");
            }
            catch (InvalidDataException e)
            {
                throw new DataException($"{path} is damaged: it starts like a gzip file but cannot be decompressed ({e.Message}).", e);
            }
            catch (IOException e)
            {
                throw new DataException($"cannot read {path}: {e.Message}", e);
            }
        }

        private static void CheckMagic(string path, int magic)
        {
            if (magic == ImageMagic) return;
            if (magic == LabelMagic)
                throw new DataException($"{path} is an IDX label file (magic number 0x{LabelMagic:X8}), not images: pass the images file, e.g. train-images-idx3-ubyte.gz.");
            throw new DataException($"{path} is not an IDX image file: it starts with 0x{magic:X8}, where an IDX image file has 0x{ImageMagic:X8} " +
                "(unsigned bytes, 3 dimensions: images x rows x columns), as MNIST and Fashion-MNIST ship them. A CSV file must be named *.csv or *.csv.gz.");
        }
    }
}
