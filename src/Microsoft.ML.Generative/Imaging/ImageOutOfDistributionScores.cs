using System;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The ComplexityScore and TypicalityScore columns of an image family, from an image's bits/dim and its pixel levels.
    /// One instance per cursor: the compressor behind ComplexityScore reuses its buffers and is created when first used.
    /// </summary>
    internal sealed class ImageOutOfDistributionScores
    {
        private readonly int _dimensions;
        private readonly int _levels;
        private readonly TypicalityReference _typicality;
        private InputComplexity _complexity;

        /// <param name="dimensions">Values per image, C x H x W.</param>
        /// <param name="modelLevels">Levels of the values the model sees.</param>
        /// <param name="typicality">The model's typicality reference, or null when it has none.</param>
        public ImageOutOfDistributionScores(int dimensions, int modelLevels, TypicalityReference typicality)
        {
            _dimensions = dimensions;
            _levels = modelLevels;
            _typicality = typicality;
        }

        /// <summary>Bits/dim minus the DEFLATE-compressed bits/dim of <paramref name="modelLevels"/> (Serrà et al. 2020).</summary>
        public float Complexity(double bitsPerDimension, ReadOnlySpan<float> modelLevels)
        {
            _complexity ??= new InputComplexity(_dimensions, _levels);
            return (float)(bitsPerDimension - _complexity.BitsPerDimension(modelLevels));
        }

        /// <summary>How far <paramref name="bitsPerDimension"/> is from the typical bits/dim, in standard deviations.</summary>
        public float Typicality(double bitsPerDimension)
            => _typicality is { } t ? t.Score((float)bitsPerDimension) : throw new InvalidOperationException("This model has no typicality reference.");
    }
}
