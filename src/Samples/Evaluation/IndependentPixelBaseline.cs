using System;
using System.Collections.Generic;

namespace Samples.Evaluation
{
    /// <summary>
    /// The simplest likelihood model of images that is still learned: every pixel value independent, with its own
    /// categorical distribution over the levels (the frequencies of the training images, add-one smoothing so no level
    /// has probability 0). It knows how bright each position tends to be, nothing about shapes. Its bits per dimension
    /// on test images is the reference a model of whole images must beat, next to the uniform log2(levels).
    /// </summary>
    internal sealed class IndependentPixelBaseline
    {
        private readonly double[][] _bits; // [position][level]: -log2 p
        private readonly int _inputLevels, _modelLevels;

        private IndependentPixelBaseline(double[][] bits, int inputLevels, int modelLevels)
        {
            _bits = bits;
            _inputLevels = inputLevels;
            _modelLevels = modelLevels;
        }

        /// <param name="images">Training images: pixel vectors of integer levels 0 .. inputLevels - 1.</param>
        /// <param name="inputLevels">Levels of the images.</param>
        /// <param name="modelLevels">Levels modelled: inputLevels, or fewer (2^bits) as the flow's NumberOfBits reduces them, level l
        /// becoming floor(l x modelLevels / inputLevels).</param>
        public static IndependentPixelBaseline Fit(IReadOnlyList<float[]> images, int inputLevels, int modelLevels)
        {
            int d = images[0].Length;
            var counts = new int[d, modelLevels];
            foreach (var image in images)
                for (int j = 0; j < d; j++)
                    counts[j, Reduce(image[j], inputLevels, modelLevels)]++;
            var bits = new double[d][];
            double total = images.Count + modelLevels;
            for (int j = 0; j < d; j++)
            {
                bits[j] = new double[modelLevels];
                for (int l = 0; l < modelLevels; l++)
                    bits[j][l] = -Math.Log2((counts[j, l] + 1) / total);
            }
            return new IndependentPixelBaseline(bits, inputLevels, modelLevels);
        }

        /// <summary>Mean -log2 p(pixel value) over all values of <paramref name="images"/>: bits per dimension.</summary>
        public double BitsPerDimension(IReadOnlyList<float[]> images)
        {
            double sum = 0;
            long values = 0;
            foreach (var image in images)
            {
                for (int j = 0; j < image.Length; j++)
                    sum += _bits[j][Reduce(image[j], _inputLevels, _modelLevels)];
                values += image.Length;
            }
            return sum / values;
        }

        private static int Reduce(float level, int inputLevels, int modelLevels)
            => inputLevels == modelLevels ? (int)level : (int)Math.Floor((double)level * modelLevels / inputLevels);
    }
}
