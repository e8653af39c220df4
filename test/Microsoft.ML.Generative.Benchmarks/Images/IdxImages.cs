using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>Reads gzipped IDX image files (magic 0x00000803) as MNIST and Fashion-MNIST ship them: one float[] of 0..255 per image.</summary>
internal static class IdxImages
{
    public static (List<float[]> images, int rows, int columns) Read(string path, int maxImages)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var header = new byte[16];
        stream.ReadExactly(header);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != 0x00000803) throw new InvalidDataException($"{path}: magic 0x{magic:X8}; expected an IDX image file (0x00000803).");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8)), columns = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        int take = maxImages > 0 ? Math.Min(count, maxImages) : count;
        var buffer = new byte[rows * columns];
        var images = new List<float[]>(take);
        for (int n = 0; n < take; n++)
        {
            stream.ReadExactly(buffer);
            images.Add(Array.ConvertAll(buffer, b => (float)b));
        }
        return (images, rows, columns);
    }
}
