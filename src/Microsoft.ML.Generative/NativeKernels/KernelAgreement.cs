using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// Whether a float32 result agrees with its float64 reference, in the one measure every kernel check uses: the
    /// largest absolute difference relative to the reference's largest magnitude.
    /// </summary>
    internal static class KernelAgreement
    {
        /// <summary>
        /// 1e-3. float32 keeps about 7 significant digits; the sums behind the checked results (a convolution output
        /// adds C*kh*kw products, a weight gradient N*H*W of them, an LSTM gradient runs through a few time steps) lose
        /// at most a few more to round-off, so a correct kernel stays near 1e-5 of the largest value, a hundred times below
        /// this. The wrong kernels measured so far are off by 0.2-1.2 of it, or NaN, a hundred times above. Measuring
        /// against the largest value (not element by element) keeps results near zero, where relative error means nothing,
        /// from failing a correct kernel.
        /// </summary>
        public const double RelativeTolerance = 1e-3;

        /// <summary>max |actual - expected| / max |expected| (the denominator at least 1e-12); NaN or infinity anywhere gives infinity.</summary>
        public static double RelativeError(Tensor actual, Tensor expected)
        {
            if (actual is null || expected is null) return double.PositiveInfinity;
            if (!actual.shape.AsSpan().SequenceEqual(expected.shape)) return double.PositiveInfinity;
            using var scope = NewDisposeScope();
            var a = actual.detach().to(ScalarType.Float64);
            var e = expected.detach().to(ScalarType.Float64);
            if (!a.isfinite().all().item<bool>() || !e.isfinite().all().item<bool>()) return double.PositiveInfinity;
            if (a.numel() == 0) return 0;
            double difference = (a - e).abs().max().item<double>();
            double size = Math.Max(1e-12, e.abs().max().item<double>());
            return difference / size;
        }

        /// <summary>True when <see cref="RelativeError"/> is at most <see cref="RelativeTolerance"/>.</summary>
        public static bool Agrees(Tensor actual, Tensor expected) => RelativeError(actual, expected) <= RelativeTolerance;
    }
}
