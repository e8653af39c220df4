using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.Generative.Imaging
{
    /// <summary>
    /// Writes 8-bit PNG files (grey or RGB, no interlace): signature, IHDR, one zlib-compressed IDAT, IEND. Small enough
    /// that the library needs no imaging package to save sample grids.
    /// </summary>
    internal static class PngFile
    {
        private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        private static readonly uint[] CrcTable = BuildCrcTable();

        /// <summary>Writes <paramref name="rgb"/> (row-major R, G, B bytes, width x height x 3) to <paramref name="path"/>.</summary>
        /// <exception cref="ArgumentException">The size is not positive or <paramref name="rgb"/> has the wrong length.</exception>
        public static void WriteRgb(string path, int width, int height, byte[] rgb) => Write(path, width, height, rgb, channels: 3);

        /// <summary>Writes <paramref name="gray"/> (row-major grey bytes, width x height) to <paramref name="path"/>.</summary>
        /// <exception cref="ArgumentException">The size is not positive or <paramref name="gray"/> has the wrong length.</exception>
        public static void WriteGray(string path, int width, int height, byte[] gray) => Write(path, width, height, gray, channels: 1);

        private static void Write(string path, int width, int height, byte[] pixels, int channels)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            if (pixels is null) throw new ArgumentNullException(nameof(pixels));
            if (width < 1 || height < 1) throw new ArgumentException($"A PNG needs a positive size; got {width}x{height}.");
            if (pixels.Length != (long)width * height * channels)
                throw new ArgumentException($"Expected {(long)width * height * channels} bytes for {width}x{height} with {channels} channel(s); got {pixels.Length}.", nameof(pixels));

            using var file = File.Create(path);
            file.Write(Signature);
            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
            header[8] = 8;                              // bits per channel
            header[9] = (byte)(channels == 3 ? 2 : 0);  // colour type: 2 RGB, 0 grey
            // compression 0 (deflate), filter method 0, interlace 0: already zero
            WriteChunk(file, "IHDR", header);

            // Each scanline starts with its filter type; 0 (none) keeps this simple, deflate still shrinks flat areas well.
            using var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                int stride = width * channels;
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0);
                    zlib.Write(pixels, y * stride, stride);
                }
            }
            WriteChunk(file, "IDAT", compressed.ToArray());
            WriteChunk(file, "IEND", Array.Empty<byte>());
        }

        /// <summary>A chunk: data length (big-endian), 4-letter type, data, CRC-32 of type and data.</summary>
        private static void WriteChunk(Stream output, string type, byte[] data)
        {
            var typeBytes = Encoding.ASCII.GetBytes(type);
            var number = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
            output.Write(number);
            output.Write(typeBytes);
            output.Write(data);
            uint crc = Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
            BinaryPrimitives.WriteUInt32BigEndian(number, crc);
            output.Write(number);
        }

        /// <summary>Continues a CRC-32 (the zip/PNG polynomial 0xEDB88320, reflected) over <paramref name="bytes"/>.</summary>
        private static uint Crc32(uint crc, byte[] bytes)
        {
            foreach (byte b in bytes)
                crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return crc;
        }

        private static uint[] BuildCrcTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }
    }
}
