using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// The logits of every sub-pixel from the last features: ReLU, a 1x1 convolution, ReLU, a 1x1 convolution to
    /// C x levels channels, both masked B so that sub-pixel c's logits come from colour group c's features only.
    /// Returns [batch, levels, C, rows, W] (the class dimension second, as cross-entropy takes it).
    /// </summary>
    /// <remarks>
    /// The output convolution computes C x levels rounded up to a multiple of 16 channels and drops the extra ones: a
    /// convolution with fewer than 16 output channels can give NaN gradients on some CPUs (ResNetConditioner's remarks),
    /// and a one-bit grey image has only 2 logits per pixel.
    /// </remarks>
    internal sealed class PixelOutputHead : nn.Module<Tensor, Tensor>
    {
        private readonly MaskedConvolution hidden;
        private readonly MaskedConvolution output;
        private readonly int _channels;
        private readonly int _levels;

        public PixelOutputHead(int featureMaps, int hiddenMaps, int channels, int levels, KernelFallbackLog kernelFallbacks)
            : base(nameof(PixelOutputHead))
        {
            _channels = channels;
            _levels = levels;
            int logits = channels * levels, computed = ResNetConditioner.RoundUpChannels(logits);
            hidden = new MaskedConvolution(featureMaps, hiddenMaps, 1, 1, 0, 0,
                PixelMasks.Raster(hiddenMaps, featureMaps, 1, 1, 0, 0, PixelMaskType.B, channels, hiddenMaps, featureMaps), kernelFallbacks);
            // Logit channel c * levels + l belongs to group c; the extra channels (dropped) repeat the pattern.
            output = new MaskedConvolution(hiddenMaps, computed, 1, 1, 0, 0,
                PixelMasks.Raster(computed, hiddenMaps, 1, 1, 0, 0, PixelMaskType.B, channels, logits, hiddenMaps), kernelFallbacks);
            RegisterComponents();
        }

        /// <inheritdoc />
        public override Tensor forward(Tensor features)
        {
            var x = output.call(nn.functional.relu(hidden.call(nn.functional.relu(features))));
            long batch = x.shape[0], rows = x.shape[2], width = x.shape[3];
            return x.narrow(1, 0, _channels * _levels).view(batch, _channels, _levels, rows, width).transpose(1, 2);
        }
    }
}
