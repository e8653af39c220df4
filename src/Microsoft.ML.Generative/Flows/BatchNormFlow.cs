using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// Batch normalisation as an invertible flow layer (Real NVP paper, section 3.7):
    /// z = (x - mu) / sqrt(var + eps) * exp(logGamma) + beta. In training mode mu and var are the batch statistics
    /// (and running averages are updated); in evaluation mode the running averages are used, so after training the
    /// layer is a fixed affine map. The running averages are buffers, saved and loaded with the weights.
    /// </summary>
    public sealed class BatchNormFlow : FlowLayer
    {
        private readonly TorchSharp.Modules.Parameter log_gamma;
        private readonly TorchSharp.Modules.Parameter beta;
        private readonly Tensor running_mean;
        private readonly Tensor running_var;
        private readonly double _momentum;
        private readonly double _epsilon;

        /// <summary>Creates the layer. <paramref name="momentum"/> is the weight of the newest batch in the running averages.</summary>
        public BatchNormFlow(int features, double momentum = 0.05, double epsilon = 1e-5) : base(nameof(BatchNormFlow))
        {
            if (!(momentum > 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum));
            _momentum = momentum;
            _epsilon = epsilon;
            log_gamma = nn.Parameter(zeros(1, features));
            beta = nn.Parameter(zeros(1, features));
            running_mean = zeros(1, features);
            running_var = ones(1, features);
            RegisterComponents();
        }

        private (Tensor mean, Tensor variance) Statistics(Tensor x)
        {
            if (!training)
                return (running_mean, running_var);
            var mean = x.mean(new long[] { 0 }, keepdim: true);
            var variance = (x - mean).pow(2).mean(new long[] { 0 }, keepdim: true);
            using (no_grad())
            {
                running_mean.mul_(1 - _momentum).add_(mean.detach() * _momentum);
                running_var.mul_(1 - _momentum).add_(variance.detach() * _momentum);
            }
            return (mean, variance);
        }

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            var (mean, variance) = Statistics(x);
            var logStd = 0.5 * (variance + _epsilon).log();
            var z = (x - mean) * (log_gamma - logStd).exp() + beta;
            return (z, (log_gamma - logStd).sum().expand(x.shape[0]));
        }

        /// <inheritdoc />
        /// <remarks>Inversion uses the running averages (the layer's evaluation-mode map).</remarks>
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var logStd = 0.5 * (running_var + _epsilon).log();
            var x = (z - beta) * (logStd - log_gamma).exp() + running_mean;
            return (x, (logStd - log_gamma).sum().expand(z.shape[0]));
        }
    }
}
