using System;
using System.Collections.Generic;

namespace Microsoft.ML.Generative.Flows.Image
{
    /// <summary>
    /// Everything needed to rebuild a multi-scale image Real NVP (<see cref="MultiScaleRealNvp"/>) before its weights
    /// are loaded, and the rules for which image sizes it supports. The defaults are those of <c>RealNvpImageOptions</c>,
    /// so a network built from either starts out the same.
    /// </summary>
    internal sealed record ImageRealNvpArchitecture
    {
        /// <summary>Channels of the input images (1 for grey, 3 for colour).</summary>
        public int Channels { get; init; } = 1;
        /// <summary>Height of the input images in pixels.</summary>
        public int Height { get; init; }
        /// <summary>Width of the input images in pixels.</summary>
        public int Width { get; init; }
        /// <summary>Number of scales (paper section 3.6). Every scale but the last halves height and width.</summary>
        public int Scales { get; init; } = 2;
        /// <summary>Width (feature maps) of every conditioner's hidden convolutions; a multiple of 16 (see <see cref="ResNetConditioner"/>).</summary>
        public int FeatureMaps { get; init; } = 32;
        /// <summary>Residual blocks per conditioner.</summary>
        public int ResidualBlocks { get; init; } = 2;
        /// <summary>Activation inside the conditioners.</summary>
        public ConditionerActivation Activation { get; init; } = ConditionerActivation.Relu;
        /// <summary>BatchNorm2d inside the conditioners, as in the paper; off by default. It changes only the conditioners, never the exactness of the flow.</summary>
        public bool ConditionerBatchNorm { get; init; }
        /// <summary>
        /// The normalisation layer after every coupling, per channel: none (the default), a <see cref="BatchNormFlow"/> as in
        /// the paper (scoring in training mode then depends on the batch, and the density differs between training and
        /// evaluation mode), or an <see cref="ActNorm"/>.
        /// </summary>
        public FlowNormalization Normalization { get; init; } = FlowNormalization.None;
        /// <summary>Bound each coupling's log-scale with a learned per-channel tanh (see <see cref="AffineCoupling"/>).</summary>
        public bool BoundLogScale { get; init; } = true;

        /// <summary>Number of values per image, C*H*W: the length of the latent vector.</summary>
        public int Dimensions => Channels * Height * Width;

        /// <summary>Throws if a value is out of range or the image size does not support <see cref="Scales"/> scales.</summary>
        public void Validate()
        {
            EnsureSupported(Channels, Height, Width, Scales);
            if (FeatureMaps < ResNetConditioner.MinimumConvolutionChannels || FeatureMaps % ResNetConditioner.MinimumConvolutionChannels != 0)
                throw new ArgumentOutOfRangeException(nameof(FeatureMaps), FeatureMaps,
                    $"must be a multiple of {ResNetConditioner.MinimumConvolutionChannels} (16, 32, 48, ...): oneDNN's convolutions with other channel counts give NaN gradients or wrong outputs on some CPUs.");
            if (ResidualBlocks < 0) throw new ArgumentOutOfRangeException(nameof(ResidualBlocks), ResidualBlocks, "must be >= 0.");
            if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException(nameof(Activation));
            if (!Enum.IsDefined(Normalization)) throw new ArgumentOutOfRangeException(nameof(Normalization));
        }

        /// <summary>
        /// The shapes (channels, height, width) of the latent blocks in the order they appear in the flat latent
        /// vector: the half factored out at scale 1, at scale 2, ..., then the output of the last scale.
        /// </summary>
        public IReadOnlyList<(int Channels, int Height, int Width)> LatentShapes()
        {
            EnsureSupported(Channels, Height, Width, Scales);
            var shapes = new List<(int, int, int)>();
            int c = Channels, h = Height, w = Width;
            for (int s = 0; s < Scales - 1; s++)
            {
                c *= 2; h /= 2; w /= 2;          // squeeze (4C) then keep half (2C)
                shapes.Add((c, h, w));
            }
            shapes.Add((c, h, w));
            return shapes;
        }

        /// <summary>
        /// True if a <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/> image supports
        /// <paramref name="scales"/> scales; otherwise false, with the reason.
        /// </summary>
        /// <remarks>
        /// Every scale but the last squeezes, so the height and width it sees must be even; the channels after a squeeze
        /// (4C) always split in half. For example 1x28x28 supports 1 to 3 scales (28, 14, then 7), 1x8x8 supports 1 to 4,
        /// and 1x7x7 only 1.
        /// </remarks>
        public static bool IsSupported(int channels, int height, int width, int scales, out string reason)
        {
            reason = null;
            string size = $"{channels}x{height}x{width} (channels x height x width)";
            if (channels < 1 || height < 1 || width < 1)
            {
                reason = $"An image needs at least 1 channel and 1x1 pixels; got {size}.";
                return false;
            }
            if (scales < 1)
            {
                reason = $"The number of scales must be at least 1; got {scales}.";
                return false;
            }
            int h = height, w = width;
            for (int s = 1; s < scales; s++)
            {
                if (h % 2 != 0 || w % 2 != 0)
                {
                    reason = $"An image of {size} does not support {scales} scales: scale {s} would squeeze a {h}x{w} map, and " +
                             $"squeezing needs an even height and width. This size supports at most {MaxScales(height, width)} scale(s).";
                    return false;
                }
                h /= 2; w /= 2;
            }
            return true;
        }

        /// <summary>Throws an <see cref="ArgumentException"/> naming the size unless <see cref="IsSupported"/> holds.</summary>
        public static void EnsureSupported(int channels, int height, int width, int scales)
        {
            if (!IsSupported(channels, height, width, scales, out var reason))
                throw new ArgumentException(reason);
        }

        /// <summary>The largest number of scales an image of <paramref name="height"/> x <paramref name="width"/> supports.</summary>
        public static int MaxScales(int height, int width)
        {
            if (height < 1 || width < 1) return 0;
            int scales = 1;
            for (int h = height, w = width; h % 2 == 0 && w % 2 == 0; h /= 2, w /= 2)
                scales++;
            return scales;
        }
    }
}
