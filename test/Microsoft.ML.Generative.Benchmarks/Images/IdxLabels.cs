using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>Reads gzipped IDX label files (magic 0x00000801) as MNIST and Fashion-MNIST ship them: one class id (0..9) per image.</summary>
internal static class IdxLabels
{
    public static List<int> Read(string path, int maxLabels)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var header = new byte[8];
        stream.ReadExactly(header);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != 0x00000801) throw new InvalidDataException($"{path}: magic 0x{magic:X8}; expected an IDX label file (0x00000801).");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int take = maxLabels > 0 ? Math.Min(count, maxLabels) : count;
        var bytes = new byte[take];
        stream.ReadExactly(bytes);
        return bytes.Select(b => (int)b).ToList();
    }
}
