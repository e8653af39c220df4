using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// Real NVP affine coupling with a binary mask b (Dinh et al. 2016, eq. 9):
    /// z = b*x + (1-b)*(x*exp(s(b*x)) + t(b*x)). The Jacobian is triangular, so log|det| = sum((1-b)*s).
    /// By default the log-scale is bounded, s = scale * tanh(raw), with a learned per-feature scale: exp(s) cannot
    /// overflow early in training, yet the layer can still learn large contractions.
    /// </summary>
    public sealed class AffineCoupling : FlowLayer
    {
        private readonly Tensor mask;          // b: 1 = passed through (conditions the rest), 0 = transformed
        private readonly Tensor inverse_mask;  // 1 - b
        private readonly nn.Module<Tensor, Tensor> conditioner;
        private readonly TorchSharp.Modules.Parameter scale;
        private readonly long _features;
        private readonly bool _boundLogScale;

        /// <summary>
        /// Creates a coupling over vectors of <paramref name="mask"/>.Length features. The conditioner must map
        /// [batch, d] to [batch, 2d]: the first d outputs are the raw log-scale, the last d the translation.
        /// With <paramref name="boundLogScale"/> false the raw output is used as the log-scale, as in the paper.
        /// </summary>
        public AffineCoupling(float[] mask, nn.Module<Tensor, Tensor> conditioner, bool boundLogScale = true) : base(nameof(AffineCoupling))
        {
            _boundLogScale = boundLogScale;
            if (mask is null || mask.Length == 0) throw new ArgumentException("mask must not be empty.", nameof(mask));
            foreach (var m in mask)
                if (m != 0f && m != 1f) throw new ArgumentException("mask entries must be 0 or 1.", nameof(mask));
            _features = mask.Length;
            this.mask = tensor(mask).unsqueeze(0);
            inverse_mask = 1f - this.mask;
            this.conditioner = conditioner;
            scale = nn.Parameter(ones(1, mask.Length));
            RegisterComponents();
        }

        private (Tensor logScale, Tensor shift) ScaleAndShift(Tensor passedThrough)
        {
            var h = conditioner.call(passedThrough);
            var raw = h.narrow(1, 0, _features);
            var shift = h.narrow(1, _features, _features) * inverse_mask;
            var logScale = (_boundLogScale ? scale * raw.tanh() : raw) * inverse_mask;
            return (logScale, shift);
        }

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            var passed = x * mask;
            var (s, t) = ScaleAndShift(passed);
            var z = passed + inverse_mask * (x * s.exp() + t);
            return (z, s.sum(1));
        }

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var passed = z * mask;
            var (s, t) = ScaleAndShift(passed);
            var x = passed + inverse_mask * ((z - t) * (-s).exp());
            return (x, -s.sum(1));
        }
    }
}
