using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// Activation normalisation (Kingma and Dhariwal 2018): a per-feature affine z = (x + bias) * exp(logScale)
    /// whose parameters are initialised from the first training batch so that z has zero mean and unit variance.
    /// Unlike batch norm it uses no batch statistics afterwards, so training and scoring compute the same function.
    /// </summary>
    public sealed class ActNorm : FlowLayer
    {
        private readonly TorchSharp.Modules.Parameter bias;
        private readonly TorchSharp.Modules.Parameter log_scale;
        private readonly Tensor initialized; // 0/1 flag kept as a buffer so that it is saved with the weights

        /// <summary>Creates an uninitialised layer over vectors of <paramref name="features"/> features.</summary>
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
            var z = (x + bias) * log_scale.exp();
            return (z, log_scale.sum().expand(x.shape[0]));
        }

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var x = z * (-log_scale).exp() - bias;
            return (x, (-log_scale.sum()).expand(z.shape[0]));
        }

        private void InitializeFrom(Tensor x)
        {
            using var _ = no_grad();
            var mean = x.mean(new long[] { 0 }, keepdim: true);
            // A floor on the std keeps a constant feature in the first batch from producing a huge scale.
            var std = x.std(0, keepdim: true).clamp_min(1e-3);
            bias.copy_(-mean);
            log_scale.copy_(-std.log());
            initialized.fill_(1f);
        }
    }
}
