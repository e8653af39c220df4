using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// One invertible step of a normalizing flow. <see cref="Forward"/> maps data-side x to latent-side z and
    /// returns log|det dz/dx| per row; <see cref="Inverse"/> maps back and returns log|det dx/dz| per row
    /// (the negative of the forward log-det at the same point). Layers know nothing of ML.NET.
    /// </summary>
    /// <remarks>Tensors are [batch, ...]; log-dets are [batch].</remarks>
    internal abstract class FlowLayer : nn.Module
    {
        /// <summary>Creates a layer with the given module name.</summary>
        protected FlowLayer(string name) : base(name) { }

        /// <summary>z = f(x) and log|det J_f(x)| for every row of <paramref name="x"/>.</summary>
        public abstract (Tensor z, Tensor logDet) Forward(Tensor x);

        /// <summary>x = f^-1(z) and log|det J_{f^-1}(z)| for every row of <paramref name="z"/>.</summary>
        public abstract (Tensor x, Tensor logDet) Inverse(Tensor z);

        /// <summary>Sums a per-element tensor over every dimension except the batch dimension.</summary>
        protected static Tensor SumPerRow(Tensor t) => t.reshape(t.shape[0], -1).sum(1);

        /// <summary>
        /// [1, C, 1, ..., 1] for an image-like input [batch, C, ...]: reshapes a layer's per-channel values [1, C] so they
        /// broadcast over every position. Throws unless the input has <paramref name="channels"/> channels.
        /// </summary>
        protected long[] ChannelShape(Tensor x, long channels)
        {
            if (x.shape[1] != channels)
                throw new ArgumentException($"{GetName()} over {channels} channels got an input with {x.shape[1]} channels.");
            var shape = new long[x.dim()];
            Array.Fill(shape, 1L);
            shape[1] = channels;
            return shape;
        }

        /// <summary>The number of positions per channel of an input [batch, C, ...] (H x W for an image).</summary>
        protected static long PositionsPerChannel(Tensor x)
        {
            long n = 1;
            for (int d = 2; d < x.dim(); d++) n *= x.shape[d];
            return n;
        }
    }
}
