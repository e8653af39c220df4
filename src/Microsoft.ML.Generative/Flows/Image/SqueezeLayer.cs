using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows.Image
{
    /// <summary>
    /// The squeeze of the Real NVP paper (section 3.6): each 2x2 block of pixels becomes 4 channels, so
    /// [batch, C, H, W] becomes [batch, 4C, H/2, W/2]; <see cref="Inverse"/> is the exact unsqueeze. It only moves
    /// values, so its log-det is 0 and the round trip is bit-identical.
    /// </summary>
    /// <remarks>
    /// Layout: input pixel (c, 2i + di, 2j + dj) goes to output channel 4c + 2di + dj at position (i, j); the four
    /// pixels of a block keep raster order (top-left, top-right, bottom-left, bottom-right).
    /// </remarks>
    internal sealed class SqueezeLayer : FlowLayer
    {
        /// <summary>Creates the (parameter-free) layer.</summary>
        public SqueezeLayer() : base(nameof(SqueezeLayer)) { }

        /// <summary>[batch, C, H, W] to [batch, 4C, H/2, W/2]. H and W must be even.</summary>
        public static Tensor Squeeze(Tensor x)
        {
            CheckRank(x, "Squeeze");
            long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
            EnsureSqueezable(c, h, w);
            return x.reshape(b, c, h / 2, 2, w / 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(b, 4 * c, h / 2, w / 2);
        }

        /// <summary>[batch, 4C, H, W] to [batch, C, 2H, 2W], the exact inverse of <see cref="Squeeze(Tensor)"/>.</summary>
        public static Tensor Unsqueeze(Tensor z)
        {
            CheckRank(z, "Unsqueeze");
            long b = z.shape[0], c4 = z.shape[1], h = z.shape[2], w = z.shape[3];
            if (c4 % 4 != 0)
                throw new ArgumentException($"Unsqueeze needs a channel count divisible by 4; got {c4} channels ({c4}x{h}x{w}).", nameof(z));
            long c = c4 / 4;
            return z.reshape(b, c, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c, 2 * h, 2 * w);
        }

        /// <summary>Throws an <see cref="ArgumentException"/> naming the size unless a C x H x W image can be squeezed.</summary>
        public static void EnsureSqueezable(long channels, long height, long width)
        {
            if (height % 2 != 0 || width % 2 != 0 || height < 2 || width < 2)
                throw new ArgumentException(
                    $"Squeeze turns 2x2 blocks of pixels into channels, so it needs an even height and width; got an image of " +
                    $"{channels}x{height}x{width} (channels x height x width).");
        }

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
            => (Squeeze(x), zeros(x.shape[0], dtype: x.dtype, device: x.device));

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
            => (Unsqueeze(z), zeros(z.shape[0], dtype: z.dtype, device: z.device));

        private static void CheckRank(Tensor t, string operation)
        {
            if (t.dim() != 4)
                throw new ArgumentException($"{operation} expects images [batch, channels, height, width]; got a tensor of rank {t.dim()}.");
        }
    }
}
