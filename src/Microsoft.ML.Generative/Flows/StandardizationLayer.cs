using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// A fixed (not trained) per-feature affine map z = (x - mean) / std, used as the first flow layer so the
    /// trainable layers see unit-scale inputs while the log-likelihood stays a density of the original units:
    /// its log-det, -sum(log std), is part of the flow.
    /// </summary>
    internal sealed class StandardizationLayer : FlowLayer
    {
        private readonly Tensor mean;
        private readonly Tensor log_std;

        /// <summary>Creates the layer from per-feature means and standard deviations (all std must be &gt; 0).</summary>
        public StandardizationLayer(float[] means, float[] standardDeviations) : base(nameof(StandardizationLayer))
        {
            if (means.Length != standardDeviations.Length)
                throw new ArgumentException("means and standard deviations must have the same length.");
            foreach (var s in standardDeviations)
                if (!(s > 0) || float.IsInfinity(s))
                    throw new ArgumentOutOfRangeException(nameof(standardDeviations), "every standard deviation must be finite and > 0.");
            var logStd = Array.ConvertAll(standardDeviations, s => (float)Math.Log(s));
            mean = tensor(means).unsqueeze(0);
            log_std = tensor(logStd).unsqueeze(0);
            RegisterComponents(); // tensor fields become buffers: saved with the model, moved with .to(device)
        }

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            var z = (x - mean) * (-log_std).exp();
            return (z, (-log_std.sum()).expand(x.shape[0]));
        }

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var x = z * log_std.exp() + mean;
            return (x, log_std.sum().expand(z.shape[0]));
        }
    }
}
