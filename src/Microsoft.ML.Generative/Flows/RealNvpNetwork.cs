using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// A Real NVP density over vectors: standardisation, then couplings (each followed by the chosen normalisation),
    /// onto a standard normal. log p(x) = log N(f(x); 0, I) + log|det J_f(x)|, exact; sampling is x = f^-1(z).
    /// </summary>
    internal sealed class RealNvpNetwork : nn.Module
    {
        private readonly FlowSequence flow;

        /// <summary>Builds the network. Weights are drawn from TorchSharp's global generator (seed it first).</summary>
        public RealNvpNetwork(RealNvpArchitecture architecture, float[] featureMeans, float[] featureStdDevs) : base(nameof(RealNvpNetwork))
        {
            architecture.Validate();
            if (featureMeans.Length != architecture.Features || featureStdDevs.Length != architecture.Features)
                throw new ArgumentException("standardisation statistics must have one entry per feature.");
            Architecture = architecture;
            int d = architecture.Features;
            var layers = new List<FlowLayer> { new StandardizationLayer(featureMeans, featureStdDevs) };
            for (int i = 0; i < architecture.Couplings; i++)
            {
                var conditioner = new MlpConditioner(d, architecture.HiddenSize, architecture.HiddenLayers, 2 * d, architecture.Activation);
                layers.Add(new AffineCoupling(VectorMasks.ForLayer(i, d), conditioner, architecture.BoundLogScale));
                switch (architecture.Normalization)
                {
                    case FlowNormalization.ActNorm: layers.Add(new ActNorm(d)); break;
                    case FlowNormalization.BatchNorm: layers.Add(new BatchNormFlow(d)); break;
                }
            }
            flow = new FlowSequence(layers);
            RegisterComponents();
        }

        /// <summary>The architecture this network was built from.</summary>
        public RealNvpArchitecture Architecture { get; }

        /// <summary>The whole flow, data to latent.</summary>
        public FlowSequence Flow => flow;

        /// <summary>z = f(x) and log p(x) per row.</summary>
        public (Tensor z, Tensor logLikelihood) Encode(Tensor x)
        {
            var (z, logDet) = flow.Forward(x);
            return (z, StandardNormal.LogProb(z) + logDet);
        }

        /// <summary>log p(x) per row.</summary>
        public Tensor LogLikelihood(Tensor x) => Encode(x).logLikelihood;

        /// <summary>x = f^-1(z).</summary>
        public Tensor Decode(Tensor z) => flow.Inverse(z).x;

        /// <summary>Draws <paramref name="count"/> rows: z ~ N(0, temperature^2 I), x = f^-1(z).</summary>
        public Tensor Sample(long count, double temperature, Generator generator)
        {
            return Decode(StandardNormal.Sample(new[] { count, (long)Architecture.Features }, temperature, generator, DeviceOf()));
        }

        private Device DeviceOf()
        {
            foreach (var (_, buffer) in named_buffers())
                return buffer.device;
            return CPU;
        }
    }
}
