using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>The exact log-likelihood of discrete images under per-sub-pixel softmax conditionals.</summary>
    internal static class PixelLikelihood
    {
        /// <summary>
        /// log p(x) in nats per image [batch]: the sum over sub-pixels of log softmax(logits)[level], from logits
        /// [batch, Levels, C, H, W] and images [batch, C, H, W] of integer levels.
        /// </summary>
        public static Tensor PerImage(Tensor logits, Tensor levels)
        {
            var negative = nn.functional.cross_entropy(logits, levels.to(ScalarType.Int64), reduction: nn.Reduction.None);
            return -negative.flatten(1).sum(1);
        }

        /// <summary>The training loss: mean negative log-likelihood per sub-pixel over the batch, in nats.</summary>
        public static Tensor MeanNatsPerSubPixel(Tensor logits, Tensor levels)
            => nn.functional.cross_entropy(logits, levels.to(ScalarType.Int64));
    }
}
