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
    /// <remarks>
    /// Vectors [batch, d] get per-feature statistics. Images [batch, C, H, W] (or any rank above 2) get per-channel
    /// statistics over batch and all spatial positions, as in the paper's image flows; the parameters and buffers
    /// keep their [1, C] shape, and the log-det per row is H*W times the per-channel sum.
    /// </remarks>
    internal sealed class BatchNormFlow : FlowLayer
    {
        private readonly TorchSharp.Modules.Parameter log_gamma;
        private readonly TorchSharp.Modules.Parameter beta;
        private readonly Tensor running_mean;
        private readonly Tensor running_var;
        private readonly double _momentum;
        private readonly double _epsilon;

        /// <summary>
        /// Creates the layer over vectors of <paramref name="features"/> features, or images of that many channels.
        /// <paramref name="momentum"/> is the weight of the newest batch in the running averages.
        /// </summary>
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
            if (x.dim() > 2)
                return ForwardPerChannel(x);
            var (mean, variance) = Statistics(x);
            var logStd = 0.5 * (variance + _epsilon).log();
            var z = (x - mean) * (log_gamma - logStd).exp() + beta;
            return (z, (log_gamma - logStd).sum().expand(x.shape[0]));
        }

        /// <inheritdoc />
        /// <remarks>Inversion uses the running averages (the layer's evaluation-mode map).</remarks>
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            if (z.dim() > 2)
                return InversePerChannel(z);
            var logStd = 0.5 * (running_var + _epsilon).log();
            var x = (z - beta) * (logStd - log_gamma).exp() + running_mean;
            return (x, (logStd - log_gamma).sum().expand(z.shape[0]));
        }

        // Images: the same map per channel, with statistics over the batch and every position. The vector path above
        // is left exactly as it was, so vector results do not change.
        private (Tensor mean, Tensor variance) ChannelStatistics(Tensor x, long[] shape)
        {
            if (!training)
                return (running_mean.reshape(shape), running_var.reshape(shape));
            var dims = new long[x.dim() - 1];
            dims[0] = 0;
            for (int d = 2; d < x.dim(); d++) dims[d - 1] = d;
            var mean = x.mean(dims, keepdim: true);
            var variance = (x - mean).pow(2).mean(dims, keepdim: true);
            using (no_grad())
            {
                running_mean.mul_(1 - _momentum).add_(mean.detach().reshape(1, -1) * _momentum);
                running_var.mul_(1 - _momentum).add_(variance.detach().reshape(1, -1) * _momentum);
            }
            return (mean, variance);
        }

        private (Tensor z, Tensor logDet) ForwardPerChannel(Tensor x)
        {
            var shape = ChannelShape(x, log_gamma.shape[1]);
            var (mean, variance) = ChannelStatistics(x, shape);
            var logScale = log_gamma.reshape(shape) - 0.5 * (variance + _epsilon).log();
            var z = (x - mean) * logScale.exp() + beta.reshape(shape);
            return (z, (logScale.sum() * PositionsPerChannel(x)).expand(x.shape[0]));
        }

        private (Tensor x, Tensor logDet) InversePerChannel(Tensor z)
        {
            var shape = ChannelShape(z, log_gamma.shape[1]);
            var logScale = log_gamma.reshape(shape) - 0.5 * (running_var.reshape(shape) + _epsilon).log();
            var x = (z - beta.reshape(shape)) * (-logScale).exp() + running_mean.reshape(shape);
            return (x, (-logScale.sum() * PositionsPerChannel(z)).expand(z.shape[0]));
        }
    }
}
