using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows.Image
{
    /// <summary>
    /// The multi-scale image Real NVP of Dinh et al. (2016), section 3.6: a bijection from images [batch, C, H, W]
    /// to flat latent vectors [batch, C*H*W], with the exact log|det| of its Jacobian.
    /// </summary>
    /// <remarks>
    /// <para>Every scale but the last: 3 checkerboard couplings (parity 0, 1, 0), a squeeze (4x the channels, half the
    /// height and width), 3 channel-wise couplings (parity 0, 1, 0), then the second half of the channels is factored
    /// out as latents and the first half goes on to the next scale. The last scale: 4 checkerboard couplings
    /// (parity 0, 1, 0, 1). Optionally a normalisation layer (<see cref="BatchNormFlow"/> or <see cref="ActNorm"/>, per channel) follows every coupling.</para>
    /// <para>Latent order: the block factored out at scale 1, then at scale 2, ..., then the output of the last scale;
    /// each block flattened in (channel, row, column) order. <see cref="ImageRealNvpArchitecture.LatentShapes"/> gives
    /// the block shapes and <see cref="SplitLatents"/> cuts a latent vector into them. With C x H x W = 1x8x8 and 3
    /// scales: 2x4x4 (32 values), then 4x2x2 (16), then 4x2x2 (16).</para>
    /// <para>A conditioner with its output convolution at zero makes its coupling the identity, so a new flow is a fixed
    /// permutation of the pixels (squeezes and splits) with log-det 0.</para>
    /// </remarks>
    internal sealed class MultiScaleRealNvp : FlowLayer
    {
        private readonly TorchSharp.Modules.ModuleList<FlowSequence> scales;   // all scales but the last, each up to its factor-out
        private readonly FlowSequence last_scale;
        private readonly (int Channels, int Height, int Width)[] _latentShapes;

        /// <summary>Builds the flow. Weights are drawn from TorchSharp's global generator (seed it first).</summary>
        public MultiScaleRealNvp(ImageRealNvpArchitecture architecture) : base(nameof(MultiScaleRealNvp))
        {
            if (architecture is null) throw new ArgumentNullException(nameof(architecture));
            architecture.Validate();
            Architecture = architecture;
            _latentShapes = architecture.LatentShapes().ToArray();

            int c = architecture.Channels, h = architecture.Height, w = architecture.Width;
            var blocks = new List<FlowSequence>();
            for (int s = 0; s < architecture.Scales - 1; s++)
            {
                var layers = new List<FlowLayer>();
                for (int k = 0; k < 3; k++)
                    AddCoupling(layers, ImageMasks.Checkerboard(c, h, w, k % 2), checkerboard: true);
                layers.Add(new SqueezeLayer());
                c *= 4; h /= 2; w /= 2;
                for (int k = 0; k < 3; k++)
                    AddCoupling(layers, ImageMasks.ChannelWise(c, h, w, k % 2), checkerboard: false);
                blocks.Add(new FlowSequence(layers));
                c /= 2; // factor out half of the channels
            }
            var last = new List<FlowLayer>();
            for (int k = 0; k < 4; k++)
                AddCoupling(last, ImageMasks.Checkerboard(c, h, w, k % 2), checkerboard: true);
            scales = new TorchSharp.Modules.ModuleList<FlowSequence>(blocks.ToArray());
            last_scale = new FlowSequence(last);
            RegisterComponents();
        }

        /// <summary>The architecture this flow was built from.</summary>
        public ImageRealNvpArchitecture Architecture { get; }

        /// <summary>Length of the flat latent vector: C*H*W.</summary>
        public int Dimensions => Architecture.Dimensions;

        private void AddCoupling(List<FlowLayer> layers, float[,,] mask, bool checkerboard)
        {
            var a = Architecture;
            int channels = mask.GetLength(0);
            var conditioner = new ResNetConditioner(channels, 2 * channels, a.FeatureMaps, a.ResidualBlocks, a.Activation,
                a.ConditionerBatchNorm, checkerboard ? ImageMasks.Plane(mask) : null);
            layers.Add(new AffineCoupling(mask, conditioner, a.BoundLogScale));
            switch (a.Normalization)
            {
                case FlowNormalization.BatchNorm: layers.Add(new BatchNormFlow(channels)); break;
                case FlowNormalization.ActNorm: layers.Add(new ActNorm(channels)); break;
            }
        }

        /// <summary>Images [batch, C, H, W] to latents [batch, C*H*W] (order: see the remarks) and log|det J| per row.</summary>
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            var a = Architecture;
            if (x.dim() != 4 || x.shape[1] != a.Channels || x.shape[2] != a.Height || x.shape[3] != a.Width)
                throw new ArgumentException($"this flow takes images [batch, {a.Channels}, {a.Height}, {a.Width}]; got [{string.Join(", ", x.shape)}].", nameof(x));
            long batch = x.shape[0];
            var logDet = zeros(batch, dtype: x.dtype, device: x.device);
            var latents = new List<Tensor>();
            var h = x;
            foreach (var block in scales)
            {
                var (next, ld) = block.Forward(h);
                logDet = logDet + ld;
                long half = next.shape[1] / 2;
                latents.Add(next.narrow(1, half, half).reshape(batch, -1));
                h = next.narrow(1, 0, half);
            }
            var (final, finalLogDet) = last_scale.Forward(h);
            latents.Add(final.reshape(batch, -1));
            return (cat(latents, 1), logDet + finalLogDet);
        }

        /// <summary>Latents [batch, C*H*W] back to images [batch, C, H, W], and log|det J| of the inverse per row.</summary>
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var parts = SplitLatents(z);
            long batch = z.shape[0];
            var (h, logDet) = last_scale.Inverse(parts[parts.Length - 1]);
            for (int s = scales.Count - 1; s >= 0; s--)
            {
                var (prev, ld) = scales[s].Inverse(cat(new[] { h, parts[s] }, 1));
                h = prev;
                logDet = logDet + ld;
            }
            return (h, logDet);
        }

        /// <summary>
        /// Cuts latents [batch, C*H*W] into the blocks of <see cref="ImageRealNvpArchitecture.LatentShapes"/>, each
        /// [batch, channels, height, width], in latent order.
        /// </summary>
        public Tensor[] SplitLatents(Tensor z)
        {
            if (z.dim() != 2 || z.shape[1] != Dimensions)
                throw new ArgumentException($"this flow's latents are [batch, {Dimensions}]; got [{string.Join(", ", z.shape)}].", nameof(z));
            var parts = new Tensor[_latentShapes.Length];
            long offset = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                var (c, h, w) = _latentShapes[i];
                long size = (long)c * h * w;
                parts[i] = z.narrow(1, offset, size).reshape(z.shape[0], c, h, w);
                offset += size;
            }
            return parts;
        }
    }
}
