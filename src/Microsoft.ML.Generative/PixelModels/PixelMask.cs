using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// Which sub-pixels of the current pixel a masked convolution may read (van den Oord et al. 2016, "Pixel Recurrent
    /// Neural Networks", section 3.4). Mask A, for the first layer, lets the output of colour group g read the input's
    /// groups before g at the current pixel (R none, G reads R, B reads R and G); mask B, for every later layer, also
    /// group g itself, whose features by then hold only what group g may see.
    /// </summary>
    internal enum PixelMaskType
    {
        /// <summary>The current pixel's earlier colour groups only (first layer).</summary>
        A,

        /// <summary>The current pixel's earlier colour groups and the output's own (later layers).</summary>
        B,
    }

    /// <summary>
    /// Builds the 0/1 masks of masked convolutions: a kernel position before the centre in raster order is readable,
    /// one after it is not, and at the centre the colour-group rule of <see cref="PixelMaskType"/> decides.
    /// </summary>
    /// <remarks>
    /// Channels are split into colour groups in contiguous blocks: feature channel i of n belongs to group
    /// i * groups / n (<see cref="GroupOf"/>). The image itself has one channel per group; the gated units' 2n
    /// channels (tanh half, then sigmoid half) and the LSTM's 4n gate channels repeat the grouping of their n units, so a
    /// gate and the unit it drives always share a group.
    /// </remarks>
    internal static class PixelMasks
    {
        /// <summary>The colour group of channel <paramref name="channel"/> of a block of <paramref name="size"/> channels.</summary>
        public static int GroupOf(int channel, int size, int groups) => (int)((long)(channel % size) * groups / size);

        /// <summary>
        /// A mask [outChannels, inChannels, kh, kw] with the centre at (<paramref name="centerRow"/>,
        /// <paramref name="centerColumn"/>): ones before it in raster order, zeros after, and the colour rule at it.
        /// </summary>
        /// <param name="outChannels">Output channels of the convolution.</param>
        /// <param name="inChannels">Input channels of the convolution.</param>
        /// <param name="kernelHeight">Kernel rows.</param>
        /// <param name="kernelWidth">Kernel columns.</param>
        /// <param name="centerRow">Kernel row of the output pixel.</param>
        /// <param name="centerColumn">Kernel column of the output pixel.</param>
        /// <param name="type">Mask A (first layer) or B (later layers).</param>
        /// <param name="groups">Colour groups: the image's channels.</param>
        /// <param name="outUnits">Output channels repeat their grouping every this many channels (n for n, 2n or 4n outputs).</param>
        /// <param name="inUnits">Input channels repeat their grouping every this many channels.</param>
        public static Tensor Raster(int outChannels, int inChannels, int kernelHeight, int kernelWidth, int centerRow, int centerColumn,
            PixelMaskType type, int groups, int outUnits, int inUnits)
        {
            if (centerRow < 0 || centerRow >= kernelHeight || centerColumn < 0 || centerColumn >= kernelWidth)
                throw new ArgumentOutOfRangeException(nameof(centerRow), $"The centre ({centerRow}, {centerColumn}) is outside the {kernelHeight}x{kernelWidth} kernel.");
            if (groups < 1 || outUnits % groups != 0 || inUnits % groups != 0)
                throw new ArgumentException($"{outUnits} output and {inUnits} input units cannot be split into {groups} colour groups.");
            var values = new float[outChannels * inChannels * kernelHeight * kernelWidth];
            int k = 0;
            for (int o = 0; o < outChannels; o++)
            {
                int og = GroupOf(o, outUnits, groups);
                for (int i = 0; i < inChannels; i++)
                {
                    int ig = GroupOf(i, inUnits, groups);
                    bool centre = type == PixelMaskType.A ? ig < og : ig <= og;
                    for (int r = 0; r < kernelHeight; r++)
                        for (int c = 0; c < kernelWidth; c++)
                        {
                            bool before = r < centerRow || (r == centerRow && c < centerColumn);
                            bool at = r == centerRow && c == centerColumn;
                            values[k++] = before || (at && centre) ? 1f : 0f;
                        }
                }
            }
            return tensor(values, new long[] { outChannels, inChannels, kernelHeight, kernelWidth });
        }
    }
}
