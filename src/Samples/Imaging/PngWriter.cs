using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Samples.Imaging
{
    /// <summary>
    /// Writes an <see cref="RgbImage"/> as a PNG file (8-bit RGB, no interlace): signature, IHDR, one zlib-compressed
    /// IDAT, IEND. Small enough to avoid an imaging package dependency.
    /// </summary>
    internal static class PngWriter
    {
        private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        private static readonly uint[] CrcTable = BuildCrcTable();

        public static void Write(RgbImage image, string path)
        {
            using var file = File.Create(path);
            file.Write(Signature);

            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), image.Width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
            header[8] = 8;  // bits per channel
            header[9] = 2;  // colour type 2: RGB
            // compression 0 (deflate), filter method 0, interlace 0: already zero
            WriteChunk(file, "IHDR", header);

            // Each scanline starts with its filter type; 0 (none) keeps this simple, deflate still shrinks flat plots well.
            using var pixels = new MemoryStream();
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
            {
                int stride = image.Width * 3;
                for (int y = 0; y < image.Height; y++)
                {
                    zlib.WriteByte(0);
                    zlib.Write(image.Pixels, y * stride, stride);
                }
            }
            WriteChunk(file, "IDAT", pixels.ToArray());
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
