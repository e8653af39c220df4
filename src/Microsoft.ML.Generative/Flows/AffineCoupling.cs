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
    /// <remarks>
    /// Works on vectors [batch, d] (mask of d entries, learned scale [1, d]) and on images [batch, C, H, W]
    /// (mask [C, H, W], learned scale per channel [1, C, 1, 1]). In both cases the conditioner's output has twice
    /// the size of dimension 1: raw log-scale first, translation second; the log-det sums over every non-batch dimension.
    /// </remarks>
    internal sealed class AffineCoupling : FlowLayer
    {
        private readonly Tensor mask;          // b: 1 = passed through (conditions the rest), 0 = transformed
        private readonly Tensor inverse_mask;  // 1 - b
        private readonly nn.Module<Tensor, Tensor> conditioner;
        private readonly TorchSharp.Modules.Parameter scale;
        private readonly long _features;       // size of dimension 1: features of a vector, channels of an image
        private readonly bool _boundLogScale;
        private readonly bool _isImage;

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

        /// <summary>
        /// Creates a coupling over images [batch, C, H, W] with a mask of shape [C, H, W] (see
        /// <see cref="Image.ImageMasks"/>). The conditioner must map [batch, C, H, W] to [batch, 2C, H, W]: the first C
        /// channels are the raw log-scale, the last C the translation. The learned bound of the log-scale is per channel.
        /// </summary>
        public AffineCoupling(float[,,] mask, nn.Module<Tensor, Tensor> conditioner, bool boundLogScale = true) : base(nameof(AffineCoupling))
        {
            _boundLogScale = boundLogScale;
            _isImage = true;
            if (mask is null || mask.Length == 0) throw new ArgumentException("mask must not be empty.", nameof(mask));
            int c = mask.GetLength(0), h = mask.GetLength(1), w = mask.GetLength(2);
            var flat = new float[mask.Length];
            int k = 0;
            foreach (var m in mask) // row-major order: the layout of a [C, H, W] tensor
            {
                if (m != 0f && m != 1f) throw new ArgumentException("mask entries must be 0 or 1.", nameof(mask));
                flat[k++] = m;
            }
            _features = c;
            this.mask = tensor(flat, new long[] { 1, c, h, w });
            inverse_mask = 1f - this.mask;
            this.conditioner = conditioner;
            scale = nn.Parameter(ones(1, c, 1, 1));
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

        // Vectors keep their original reduction (s.sum(1)), so their results are unchanged bit for bit.
        private Tensor LogDetOf(Tensor s) => _isImage ? SumPerRow(s) : s.sum(1);

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            var passed = x * mask;
            var (s, t) = ScaleAndShift(passed);
            var z = passed + inverse_mask * (x * s.exp() + t);
            return (z, LogDetOf(s));
        }

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var passed = z * mask;
            var (s, t) = ScaleAndShift(passed);
            var x = passed + inverse_mask * ((z - t) * (-s).exp());
            return (x, -LogDetOf(s));
        }
    }
}
