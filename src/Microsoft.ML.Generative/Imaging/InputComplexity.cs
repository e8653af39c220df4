using System;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The input complexity L(x) of Serrà et al. (2020), "Input complexity and out-of-distribution detection with
    /// likelihood-based generative models": the length of an image's pixel levels compressed by a general-purpose
    /// compressor (here DEFLATE at its smallest size), in bits per dimension. Simple images (flat backgrounds, thin strokes)
    /// compress well and are what flows find most likely, whatever they were trained on; bits/dim minus L(x) discounts that.
    /// One instance per cursor: it reuses its buffers.
    /// </summary>
    internal sealed class InputComplexity
    {
        private readonly int _bytesPerValue;
        private readonly byte[] _raw;
        private readonly MemoryStream _compressed = new MemoryStream();

        /// <param name="dimensions">Values per image, C x H x W.</param>
        /// <param name="levels">Number of pixel levels the values come in: one byte per value up to 256, two above.</param>
        public InputComplexity(int dimensions, int levels)
        {
            _bytesPerValue = levels <= 256 ? 1 : 2;
            _raw = new byte[dimensions * _bytesPerValue];
        }

        /// <summary>Compressed bits per value of <paramref name="pixels"/> (integer levels, as float).</summary>
        public double BitsPerDimension(ReadOnlySpan<float> pixels)
        {
            if (pixels.Length * _bytesPerValue != _raw.Length)
                throw new ArgumentException($"Expected {_raw.Length / _bytesPerValue} values, got {pixels.Length}.", nameof(pixels));
            for (int i = 0; i < pixels.Length; i++)
            {
                int level = (int)pixels[i];
                if (_bytesPerValue == 1) _raw[i] = (byte)level;
                else { _raw[2 * i] = (byte)(level >> 8); _raw[2 * i + 1] = (byte)level; }
            }
            _compressed.SetLength(0);
            using (var deflate = new DeflateStream(_compressed, CompressionLevel.SmallestSize, leaveOpen: true))
                deflate.Write(_raw);
            return 8.0 * _compressed.Length / pixels.Length;
        }
    }
}
