using System;
using System.IO;
using Microsoft.ML.Generative.Numerics;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// What in-distribution images score: the mean and standard deviation of the bits/dim the model gives reference
    /// images (Fit's validation images), as its transformer scores them. A likelihood model can give out-of-distribution
    /// images a <i>higher</i> likelihood than its own data (Nalisnick et al. 2019), so "unusual" is better read as "far
    /// from the typical bits/dim, on either side":
    /// the typicality test of Nalisnick, Matsukawa, Teh and Lakshminarayanan (2019), applied to one image at a time.
    /// </summary>
    internal sealed class TypicalityReference
    {
        public TypicalityReference(double meanBitsPerDimension, double standardDeviation, int count)
        {
            if (!double.IsFinite(meanBitsPerDimension) || !(standardDeviation > 0) || !double.IsFinite(standardDeviation) || count < 2)
                throw new ArgumentOutOfRangeException(nameof(standardDeviation), "A typicality reference needs a finite mean, a positive finite spread and at least 2 images.");
            MeanBitsPerDimension = meanBitsPerDimension;
            StandardDeviation = standardDeviation;
            Count = count;
        }

        public double MeanBitsPerDimension { get; }
        public double StandardDeviation { get; }
        public int Count { get; }

        /// <summary>Writes an optional reference: a presence flag, then mean, spread and count (read with <see cref="ReadOptional"/>).</summary>
        public static void WriteOptional(BinaryWriter writer, TypicalityReference reference)
        {
            writer.Write(reference is not null);
            if (reference is null) return;
            writer.Write(reference.MeanBitsPerDimension);
            writer.Write(reference.StandardDeviation);
            writer.Write(reference.Count);
        }

        /// <summary>Reads what <see cref="WriteOptional"/> wrote; <paramref name="model"/> names the model in the error for invalid values.</summary>
        public static TypicalityReference ReadOptional(BinaryReader reader, string model)
        {
            if (!reader.ReadBoolean()) return null;
            double mean = reader.ReadDouble(), spread = reader.ReadDouble();
            int count = reader.ReadInt32();
            if (!double.IsFinite(mean) || !(spread > 0) || !double.IsFinite(spread) || count < 2)
                throw new InvalidDataException($"The {model} model has an invalid typicality reference.");
            return new TypicalityReference(mean, spread, count);
        }

        /// <summary>|bits/dim - mean| in standard deviations; +infinity for an image of zero likelihood.</summary>
        public float Score(float bitsPerDimension)
            => float.IsPositiveInfinity(bitsPerDimension) ? float.PositiveInfinity
                : (float)(Math.Abs(bitsPerDimension - MeanBitsPerDimension) / StandardDeviation);

        /// <summary>
        /// The reference of <paramref name="rows"/> images (row-major model-level pixels, [rows, C*H*W]) scored like the
        /// transformer scores them, in batches: <paramref name="logLikelihood"/> maps a batch [n, C, H, W] on
        /// <paramref name="device"/> to log p(x) per image [n]. Null when fewer than 2 images have a finite score.
        /// </summary>
        /// <param name="logLikelihood">log p(x) per image [n] of a batch of images [n, C, H, W] and their labels (or null).</param>
        /// <param name="images">The reference images, row-major [rows, C*H*W], in model levels.</param>
        /// <param name="labels">Class ids per image for a class-conditional model (passed to <paramref name="logLikelihood"/> per batch), or null.</param>
        /// <param name="rows">Number of reference images.</param>
        /// <param name="channels">Channels per image.</param>
        /// <param name="height">Image height.</param>
        /// <param name="width">Image width.</param>
        /// <param name="batchSize">Images per call of <paramref name="logLikelihood"/>.</param>
        /// <param name="device">Where the model lives.</param>
        public static TypicalityReference Measure(Func<Tensor, Tensor, Tensor> logLikelihood, float[] images, long[] labels, int rows,
            int channels, int height, int width, int batchSize, Device device)
        {
            int d = channels * height * width;
            double bitsPerNat = BitsPerDimension.PerNat(d);
            double sum = 0, sumOfSquares = 0;
            int count = 0;
            using var noGrad = no_grad();
            for (int start = 0; start < rows; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, rows - start);
                var x = tensor(images.AsSpan(start * d, n * d).ToArray(), new long[] { n, channels, height, width }).to(device);
                var batchLabels = labels is null ? null : tensor(labels.AsSpan(start, n).ToArray()).to(device);
                var values = logLikelihood(x, batchLabels).cpu().to(ScalarType.Float64).data<double>().ToArray();
                foreach (double l in values)
                {
                    if (!double.IsFinite(l)) continue;
                    double bits = -l * bitsPerNat;
                    sum += bits;
                    sumOfSquares += bits * bits;
                    count++;
                }
            }
            if (count < 2) return null;
            double mean = sum / count;
            double variance = Math.Max(0, (sumOfSquares - count * mean * mean) / (count - 1));
            // A floor on the spread keeps the score finite when every reference image scores the same.
            return new TypicalityReference(mean, Math.Max(Math.Sqrt(variance), 1e-6), count);
        }
    }
}
