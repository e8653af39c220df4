using System;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// One layer of a gated PixelCNN (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN Decoders",
    /// figure 2): a vertical stack that reads the rows above and a horizontal stack that reads the current row to the
    /// left, each through gated units tanh(a) * sigmoid(b), with the vertical stack's pre-activations fed into the
    /// horizontal one (shifted down a row), a residual connection on the horizontal stack and a skip output.
    /// </summary>
    /// <remarks>
    /// <para>Causality: the vertical convolution's output at row i reads input rows up to i (k/2 + 1 kernel rows ending at
    /// the centre row), so it may see the current row, including pixels right of the current one; it reaches the
    /// horizontal stack only shifted down by one row, where row i receives row i - 1's features, which depend on rows
    /// before i only. The horizontal convolution reads row i from k/2 columns left up to the current column, whose
    /// sub-pixels are masked by colour group (mask A in the first layer, B after). Its receptive field with the vertical
    /// stack's has no blind spot: every pixel above (within the growing cone) and every pixel to the left is reachable.</para>
    /// <para>An optional class label adds a learned bias per class to both stacks' pre-activations (conditional PixelCNN).</para>
    /// </remarks>
    internal sealed class GatedPixelCnnLayer : nn.Module
    {
        private readonly MaskedConvolution vertical;
        private readonly MaskedConvolution horizontal;
        private readonly MaskedConvolution verticalToHorizontal;
        private readonly MaskedConvolution residual;
        private readonly MaskedConvolution skip;
        private readonly Embedding verticalLabel;     // null without classes
        private readonly Embedding horizontalLabel;
        private readonly bool _first;
        private readonly int _featureMaps;

        /// <param name="first">The first layer: reads the image (mask A, no residual connection).</param>
        /// <param name="inChannels">Input channels: the image's for the first layer, else <paramref name="featureMaps"/>.</param>
        /// <param name="featureMaps">Gated units per stack (a multiple of <paramref name="groups"/>).</param>
        /// <param name="kernelSize">Odd kernel size k: the vertical kernel is (k/2 + 1) x k, the horizontal 1 x (k/2 + 1).</param>
        /// <param name="groups">Colour groups: the image's channel count.</param>
        /// <param name="classes">Number of class labels, or 0 for an unconditional layer.</param>
        /// <param name="kernelFallbacks">The network's kernel-fallback log.</param>
        public GatedPixelCnnLayer(bool first, int inChannels, int featureMaps, int kernelSize, int groups, int classes, KernelFallbackLog kernelFallbacks)
            : base(nameof(GatedPixelCnnLayer))
        {
            if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "must be odd.");
            int half = kernelSize / 2, gates = 2 * featureMaps;
            int inUnits = first ? groups : featureMaps;
            var type = first ? PixelMaskType.A : PixelMaskType.B;
            _first = first;
            _featureMaps = featureMaps;
            vertical = new MaskedConvolution(inChannels, gates, half + 1, kernelSize, half, half, null, kernelFallbacks);
            horizontal = new MaskedConvolution(inChannels, gates, 1, half + 1, 0, half,
                PixelMasks.Raster(gates, inChannels, 1, half + 1, 0, half, type, groups, featureMaps, inUnits), kernelFallbacks);
            // Row i - 1's vertical features may be read by every sub-pixel of row i: no mask.
            verticalToHorizontal = new MaskedConvolution(gates, gates, 1, 1, 0, 0, null, kernelFallbacks);
            residual = new MaskedConvolution(featureMaps, featureMaps, 1, 1, 0, 0,
                PixelMasks.Raster(featureMaps, featureMaps, 1, 1, 0, 0, PixelMaskType.B, groups, featureMaps, featureMaps), kernelFallbacks);
            skip = new MaskedConvolution(featureMaps, featureMaps, 1, 1, 0, 0,
                PixelMasks.Raster(featureMaps, featureMaps, 1, 1, 0, 0, PixelMaskType.B, groups, featureMaps, featureMaps), kernelFallbacks);
            if (classes > 0)
            {
                verticalLabel = nn.Embedding(classes, gates);
                horizontalLabel = nn.Embedding(classes, gates);
                using (no_grad())
                {
                    verticalLabel.weight.zero_();
                    horizontalLabel.weight.zero_();
                }
            }
            RegisterComponents();
        }

        /// <summary>The vertical stack on the whole image: its gated output and its pre-activations (for the link).</summary>
        /// <param name="v">The vertical stack's input [batch, in, H, W].</param>
        /// <param name="labels">Class ids [batch] (int64), or null.</param>
        public (Tensor output, Tensor preActivation) Vertical(Tensor v, Tensor labels)
        {
            var pre = AddLabel(vertical.call(v), verticalLabel, labels);
            return (Gate(pre), pre);
        }

        /// <summary>
        /// What the horizontal stack of row i receives from the vertical stack: the link convolution of the vertical
        /// pre-activations of row i - 1 (zero input for row 0), for every row at once [batch, 2n, H, W].
        /// </summary>
        /// <param name="verticalPreActivation">The vertical pre-activations [batch, 2n, rows, W].</param>
        /// <param name="shift">True: shift down a row first (all rows at once). False: the rows given are already the rows above.</param>
        public Tensor Link(Tensor verticalPreActivation, bool shift = true)
        {
            if (!shift) return verticalToHorizontal.call(verticalPreActivation);
            long h = verticalPreActivation.shape[2];
            var shifted = nn.functional.pad(verticalPreActivation, new long[] { 0, 0, 1, 0 }).narrow(2, 0, h);
            return verticalToHorizontal.call(shifted);
        }

        /// <summary>
        /// The horizontal stack on some rows (all of them, or one while sampling): the next layer's horizontal input and
        /// this layer's skip output, each [batch, n, rows, W].
        /// </summary>
        /// <param name="h">The horizontal stack's input on those rows.</param>
        /// <param name="link">The same rows of <see cref="Link"/>.</param>
        /// <param name="labels">Class ids [batch] (int64), or null.</param>
        public (Tensor output, Tensor skip) Horizontal(Tensor h, Tensor link, Tensor labels)
        {
            var gated = Gate(AddLabel(horizontal.call(h) + link, horizontalLabel, labels));
            var output = residual.call(gated);
            return (_first ? output : output + h, skip.call(gated));
        }

        private Tensor Gate(Tensor preActivation)
        {
            var parts = preActivation.split(_featureMaps, 1);
            return parts[0].tanh() * parts[1].sigmoid();
        }

        private static Tensor AddLabel(Tensor preActivation, Embedding embedding, Tensor labels)
        {
            if (embedding is null) return preActivation;
            if (labels is null) throw new ArgumentException("This layer is class-conditional: labels are required.", nameof(labels));
            var bias = embedding.call(labels);               // [batch, 2n]
            return preActivation + bias.unsqueeze(2).unsqueeze(3);
        }
    }
}
