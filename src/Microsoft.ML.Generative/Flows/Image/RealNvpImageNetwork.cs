using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows.Image
{
    /// <summary>
    /// A Real NVP density over images: the logit preprocessing (<see cref="LogitPreprocessing"/>), then the multi-scale
    /// flow (<see cref="MultiScaleRealNvp"/>), onto independent standard normals. log p(v) is an exact log-density of
    /// dequantized pixels v in [0, K)^D, in pixel units, so that -log p / (D ln 2) is bits per dimension.
    /// </summary>
    internal sealed class RealNvpImageNetwork : nn.Module
    {
        private readonly LogitPreprocessing preprocessing;
        private readonly MultiScaleRealNvp flow;

        /// <summary>Builds the network for images with <paramref name="levels"/> pixel levels. Weights come from TorchSharp's global generator (seed it first).</summary>
        public RealNvpImageNetwork(ImageRealNvpArchitecture architecture, int levels, double alpha) : base(nameof(RealNvpImageNetwork))
        {
            preprocessing = new LogitPreprocessing(levels, alpha);
            flow = new MultiScaleRealNvp(architecture);
            RegisterComponents();
        }

        /// <summary>The multi-scale flow's architecture.</summary>
        public ImageRealNvpArchitecture Architecture => flow.Architecture;

        /// <summary>K, the number of pixel levels the density is over.</summary>
        public int Levels => preprocessing.Levels;

        /// <summary>The logit margin alpha.</summary>
        public double Alpha => preprocessing.Alpha;

        /// <summary>C*H*W.</summary>
        public int Dimensions => flow.Dimensions;

        /// <summary>The multi-scale flow (after the preprocessing).</summary>
        public MultiScaleRealNvp Flow => flow;

        /// <summary>Adds U[0,1) noise from <paramref name="generator"/> to integer pixel levels.</summary>
        public Tensor Dequantize(Tensor pixels, Generator generator) => preprocessing.Dequantize(pixels, generator);

        /// <summary>Latents [batch, D] and log p(v) per image, for dequantized pixels v [batch, C, H, W] in [0, K).</summary>
        public (Tensor z, Tensor logLikelihood) Encode(Tensor v)
        {
            var (y, preprocessingLogDet) = preprocessing.Forward(v);
            var (z, flowLogDet) = flow.Forward(y);
            return (z, StandardNormal.LogProb(z) + preprocessingLogDet + flowLogDet);
        }

        /// <summary>log p(v) per image.</summary>
        public Tensor LogLikelihood(Tensor v) => Encode(v).logLikelihood;

        /// <summary>Dequantized pixels [batch, C, H, W] (in [0, K), up to rounding) from latents [batch, D].</summary>
        public Tensor Decode(Tensor z) => preprocessing.Inverse(flow.Inverse(z).x).x;

        /// <summary>Draws <paramref name="count"/> images: z ~ N(0, temperature^2 I), v = f^-1(z); continuous values in [0, K).</summary>
        public Tensor Sample(long count, double temperature, Generator generator)
            => Decode(StandardNormal.Sample(new[] { count, (long)Dimensions }, temperature, generator, DeviceOf()));

        /// <summary>The learned log-scale bounds of every coupling (the "scale parameters" the paper regularises with L2).</summary>
        public IReadOnlyList<Tensor> ScaleParameters()
            => named_parameters().Where(p => p.name == "scale" || p.name.EndsWith(".scale", StringComparison.Ordinal)).Select(p => (Tensor)p.parameter).ToList();

        private Device DeviceOf()
        {
            foreach (var p in parameters())
                return p.device;
            return CPU;
        }
    }
}
