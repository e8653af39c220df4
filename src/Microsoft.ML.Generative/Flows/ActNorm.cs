using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// Activation normalisation (Kingma and Dhariwal 2018): a per-feature affine z = (x + bias) * exp(logScale)
    /// whose parameters are initialised from the first training batch so that z has zero mean and unit variance.
    /// Unlike batch norm it uses no batch statistics afterwards, so training and scoring compute the same function.
    /// </summary>
    /// <remarks>
    /// Vectors [batch, d] get one bias and scale per feature. Images [batch, C, H, W] (any rank above 2) get one per
    /// channel, initialised from the statistics over the batch and every position, as in Glow; the parameters keep their
    /// [1, C] shape and the log-det per row is H*W times the per-channel sum.
    /// </remarks>
    internal sealed class ActNorm : FlowLayer
    {
        private readonly TorchSharp.Modules.Parameter bias;
        private readonly TorchSharp.Modules.Parameter log_scale;
        private readonly Tensor initialized; // 0/1 flag kept as a buffer so that it is saved with the weights

        /// <summary>Creates an uninitialised layer over vectors of <paramref name="features"/> features, or images of that many channels.</summary>
        public ActNorm(int features) : base(nameof(ActNorm))
        {
            bias = nn.Parameter(zeros(1, features));
            log_scale = nn.Parameter(zeros(1, features));
            initialized = zeros(1);
            RegisterComponents();
        }

        /// <summary>True once the data-dependent initialisation has run (on the first forward pass in training mode).</summary>
        public bool IsInitialized => initialized.item<float>() != 0f;

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            if (training && !IsInitialized)
                InitializeFrom(x);
            if (x.dim() > 2)
            {
                var shape = ChannelShape(x, bias.shape[1]);
                var zc = (x + bias.reshape(shape)) * log_scale.reshape(shape).exp();
                return (zc, (log_scale.sum() * PositionsPerChannel(x)).expand(x.shape[0]));
            }
            var z = (x + bias) * log_scale.exp();
            return (z, log_scale.sum().expand(x.shape[0]));
        }

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            if (z.dim() > 2)
            {
                var shape = ChannelShape(z, bias.shape[1]);
                var xc = z * (-log_scale.reshape(shape)).exp() - bias.reshape(shape);
                return (xc, (-log_scale.sum() * PositionsPerChannel(z)).expand(z.shape[0]));
            }
            var x = z * (-log_scale).exp() - bias;
            return (x, (-log_scale.sum()).expand(z.shape[0]));
        }

        private void InitializeFrom(Tensor x)
        {
            using var _ = no_grad();
            if (x.dim() > 2)
                x = x.transpose(0, 1).reshape(x.shape[1], -1).t(); // [batch x positions, C]: per-channel statistics
            var mean = x.mean(new long[] { 0 }, keepdim: true);
            // A floor on the std keeps a constant feature in the first batch from producing a huge scale.
            var std = x.std(0, keepdim: true).clamp_min(1e-3);
            bias.copy_(-mean);
            log_scale.copy_(-std.log());
            initialized.fill_(1f);
        }
    }
}
