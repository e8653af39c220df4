using System;

namespace Microsoft.ML.Generative.Flows.Image
{
    /// <summary>
    /// Binary masks of shape [C, H, W] for image couplings (Real NVP paper, section 3.4, figure 3). An entry of 1 is
    /// passed through unchanged and conditions the coupling; an entry of 0 is transformed. Parity 0 and parity 1
    /// are complements, so two consecutive couplings with alternating parity transform every entry.
    /// </summary>
    internal static class ImageMasks
    {
        /// <summary>
        /// The checkerboard mask b[c, i, j] = 1 where (i + j) % 2 == <paramref name="parity"/>, the same in every channel.
        /// </summary>
        public static float[,,] Checkerboard(int channels, int height, int width, int parity)
        {
            CheckArguments(channels, height, width, parity);
            var mask = new float[channels, height, width];
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < height; i++)
                    for (int j = 0; j < width; j++)
                        mask[c, i, j] = (i + j) % 2 == parity ? 1f : 0f;
            return mask;
        }

        /// <summary>
        /// The channel-wise mask: parity 0 passes the first half of the channels (and transforms the second half),
        /// parity 1 the second half. Needs an even number of channels.
        /// </summary>
        public static float[,,] ChannelWise(int channels, int height, int width, int parity)
        {
            CheckArguments(channels, height, width, parity);
            if (channels % 2 != 0)
                throw new ArgumentException(
                    $"A channel-wise mask splits the channels in two halves, so it needs an even number of channels; got {channels} " +
                    $"(an image of {channels}x{height}x{width}). Squeeze first (4x the channels) or use a checkerboard mask.", nameof(channels));
            var mask = new float[channels, height, width];
            for (int c = 0; c < channels; c++)
            {
                bool firstHalf = c < channels / 2;
                float value = firstHalf == (parity == 0) ? 1f : 0f;
                for (int i = 0; i < height; i++)
                    for (int j = 0; j < width; j++)
                        mask[c, i, j] = value;
            }
            return mask;
        }

        /// <summary>One channel of a mask, [H, W] (e.g. to feed a checkerboard pattern to a conditioner).</summary>
        public static float[,] Plane(float[,,] mask, int channel = 0)
        {
            if (mask is null) throw new ArgumentNullException(nameof(mask));
            if (channel < 0 || channel >= mask.GetLength(0)) throw new ArgumentOutOfRangeException(nameof(channel));
            int h = mask.GetLength(1), w = mask.GetLength(2);
            var plane = new float[h, w];
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    plane[i, j] = mask[channel, i, j];
            return plane;
        }

        private static void CheckArguments(int channels, int height, int width, int parity)
        {
            if (channels < 1 || height < 1 || width < 1)
                throw new ArgumentException($"A mask needs at least 1 channel and 1x1 pixels; got {channels}x{height}x{width}.");
            if (parity != 0 && parity != 1)
                throw new ArgumentOutOfRangeException(nameof(parity), parity, "parity must be 0 or 1.");
        }
    }
}
