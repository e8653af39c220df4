using System;
using System.IO;
using System.IO.Compression;
using Samples.Cli;

namespace Samples.Imaging
{
    /// <summary>
    /// Opens an input file for reading, decompressing it on the fly when it starts with the gzip signature (1f 8b), so
    /// "train-images-idx3-ubyte.gz" and "digits.csv.gz" read like their unpacked versions. The content decides, not the name.
    /// </summary>
    internal static class InputFile
    {
        /// <exception cref="DataException">The file is missing or cannot be opened.</exception>
        public static Stream OpenRead(string path)
        {
            if (!File.Exists(path)) throw new DataException($"file not found: {path}");
            FileStream file;
            try { file = File.OpenRead(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataException($"cannot read {path}: {e.Message}", e);
            }
            int first = file.ReadByte(), second = file.ReadByte();
            file.Position = 0;
            if (first == 0x1f && second == 0x8b)
                return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
            return new BufferedStream(file, 1 << 16);
        }
    }
}
