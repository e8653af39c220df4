using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows.Image
{
    /// <summary>
    /// The Real NVP paper's pixel preprocessing (section 4.1) as a flow layer with its exact log-det. Input: dequantized
    /// pixels v in [0, K), where K is the number of levels (256 for 8-bit images, 17 for scikit-learn's digits); output
    /// logit(p) with p = alpha + (1 - 2 alpha) v / K, elementwise, same shape.
    /// </summary>
    /// <remarks>
    /// <para>The log-det, sum of log((1 - 2 alpha) / K) - log p - log(1 - p) over all elements, includes the 1/K
    /// scaling, so a flow that starts with this layer gives a density over [0, K)^D in pixel units. Each integer
    /// pixel value x owns the unit-width bin [x, x + 1), so the density of a dequantized value v = x + u (u ~ U[0,1)^D)
    /// is directly comparable with a probability of the discrete image: E_u[log p(x + u)] &lt;= log P(x) (uniform
    /// dequantization; Theis et al. 2016). <see cref="Numerics.BitsPerDimension"/> converts it to bits per dimension.</para>
    /// <para>The noise is the caller's: <see cref="FlowLayer.Forward"/> takes already-dequantized values, and
    /// <see cref="Dequantize"/> adds U[0,1) noise from a given generator. alpha keeps p away from 0 and 1, where the
    /// logit is infinite; values outside [0, K) are not checked and give p outside (alpha, 1 - alpha).</para>
    /// </remarks>
    internal sealed class LogitPreprocessing : FlowLayer
    {
        private readonly int _levels;
        private readonly double _alpha;
        private readonly double _logScale; // log((1 - 2 alpha) / K): the log-derivative of v -> p

        /// <summary>Creates the layer for pixels with <paramref name="levels"/> values 0..levels-1.</summary>
        /// <param name="levels">K, the number of pixel values: 2^bits, or any count such as 17; at least 2.</param>
        /// <param name="alpha">The margin alpha in (0, 0.5); the paper uses 0.05.</param>
        public LogitPreprocessing(int levels, double alpha = 0.05) : base(nameof(LogitPreprocessing))
        {
            if (levels < 2) throw new ArgumentOutOfRangeException(nameof(levels), levels, "an image needs at least 2 pixel levels.");
            if (!(alpha > 0 && alpha < 0.5)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in (0, 0.5).");
            _levels = levels;
            _alpha = alpha;
            _logScale = Math.Log((1 - 2 * alpha) / levels);
        }

        /// <summary>K, the number of pixel levels.</summary>
        public int Levels => _levels;

        /// <summary>The margin alpha.</summary>
        public double Alpha => _alpha;

        /// <summary>
        /// Uniform dequantization: <paramref name="pixels"/> (integer values 0..K-1) plus U[0,1) noise drawn from
        /// <paramref name="generator"/>, so the result lies in [0, K). Integer tensors become float32; float tensors keep
        /// their dtype. The noise is drawn on the CPU, then moved to the pixels' device, so it does not depend on the device.
        /// </summary>
        public Tensor Dequantize(Tensor pixels, Generator generator)
        {
            if (!pixels.is_floating_point())
                pixels = pixels.to(ScalarType.Float32);
            var noise = rand(pixels.shape, dtype: pixels.dtype, generator: generator);
            return pixels + (pixels.device.type == DeviceType.CPU ? noise : noise.to(pixels.device));
        }

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            var p = _alpha + (1 - 2 * _alpha) / _levels * x;
            var logP = p.log();
            var log1mP = (-p).log1p();
            return (logP - log1mP, SumPerRow(_logScale - logP - log1mP));
        }

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var p = z.sigmoid();
            var x = (p - _alpha) * (_levels / (1 - 2 * _alpha));
            // log p and log(1 - p) from z directly: exact even where sigmoid(z) rounds to 0 or 1.
            var logDet = nn.functional.logsigmoid(z) + nn.functional.logsigmoid(-z) - _logScale;
            return (x, SumPerRow(logDet));
        }
    }
}
