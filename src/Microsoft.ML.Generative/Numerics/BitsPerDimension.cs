using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Numerics
{
    /// <summary>
    /// Bits per dimension, the usual unit for image likelihoods: -log2 P(x) / D for an image of D = C*H*W values. The one
    /// definition behind the image models' BitsPerDimension column, their validation loss and EvaluateBitsPerDimension.
    /// </summary>
    /// <remarks>
    /// Convention: the input is a per-row negative log-likelihood in nats of the continuous density of a
    /// dequantized image v = x + u, u ~ U[0,1)^D, in pixel units, i.e. over [0, K)^D (what a flow starting with
    /// <see cref="Flows.Image.LogitPreprocessing"/> gives, and what a discrete model of the levels gives with each level's
    /// probability spread over its bin). Each integer pixel value owns a bin of width 1 in these units, so
    /// -log p(x + u) estimates -log P(x) of the K-level image directly (averaged over u it is an upper bound) and no
    /// log K term is added. A density over [0, 1)^D (pixels divided by K) needs D ln K added first: see
    /// <see cref="FromUnitIntervalNats(double, long, int)"/>. A model that is uniform on [0, K)^D scores log2 K bits/dim
    /// (8 for 8-bit images).
    /// </remarks>
    internal static class BitsPerDimension
    {
        /// <summary>Bits/dim from the NLL in nats of a density over [0, K)^D (pixel units), for D = <paramref name="dimensions"/>.</summary>
        public static double FromPixelSpaceNats(double negativeLogLikelihood, long dimensions)
            => negativeLogLikelihood * PerNat(dimensions);

        /// <summary>The factor from nats per image to bits per dimension: 1 / (D ln 2).</summary>
        public static double PerNat(long dimensions)
        {
            CheckDimensions(dimensions);
            return 1.0 / (dimensions * Math.Log(2));
        }

        /// <summary>Per-row bits/dim from per-row NLLs in nats of a density over [0, K)^D (pixel units).</summary>
        public static Tensor FromPixelSpaceNats(Tensor negativeLogLikelihood, long dimensions)
            => negativeLogLikelihood * PerNat(dimensions);

        /// <summary>Bits/dim from the NLL in nats of a density over [0, 1)^D (pixels divided by <paramref name="levels"/>).</summary>
        public static double FromUnitIntervalNats(double negativeLogLikelihood, long dimensions, int levels)
        {
            if (levels < 2) throw new ArgumentOutOfRangeException(nameof(levels), levels, "must be >= 2.");
            return FromPixelSpaceNats(negativeLogLikelihood + dimensions * Math.Log(levels), dimensions);
        }

        private static void CheckDimensions(long dimensions)
        {
            if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "must be >= 1.");
        }
    }
}
