using System;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// A stride-1 2-D convolution whose output at (i, j) reads the input window whose kernel centre sits at (i, j), with
    /// an optional 0/1 mask on the weight (<see cref="PixelMasks"/>); the output has the input's height and width. The
    /// input is zero-padded by exactly what the centre needs (above and left of it: centre row and column; below and
    /// right: the rest), so a kernel that ends at its centre row or column never reads below or right of the pixel.
    /// </summary>
    /// <remarks>
    /// The masked weight goes through <see cref="GuardedConvolution"/>, so the run-time kernel checks cover these shapes
    /// too. Initialisation is PyTorch's Conv2d default (uniform in +-1/sqrt(fan-in)) over the whole kernel; the mask then
    /// zeroes what the position may not read, in the forward pass, so masked weights get no gradient either.
    /// </remarks>
    internal sealed class MaskedConvolution : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter weight;
        private readonly Parameter bias;
        private readonly Tensor mask;          // [out, in, kh, kw] or null (no mask); a buffer, so it moves with the module
        private readonly long[] _padding;      // left, right, top, bottom
        private readonly KernelFallbackLog _kernelFallbacks;

        /// <param name="inChannels">Input channels.</param>
        /// <param name="outChannels">Output channels.</param>
        /// <param name="kernelHeight">Kernel rows.</param>
        /// <param name="kernelWidth">Kernel columns.</param>
        /// <param name="centerRow">Kernel row that sits on the output row.</param>
        /// <param name="centerColumn">Kernel column that sits on the output column.</param>
        /// <param name="mask">The weight's mask [out, in, kh, kw], or null for none.</param>
        /// <param name="kernelFallbacks">Where kernel fallbacks are noted (the owning network's log).</param>
        public MaskedConvolution(int inChannels, int outChannels, int kernelHeight, int kernelWidth, int centerRow, int centerColumn,
            Tensor mask, KernelFallbackLog kernelFallbacks) : base(nameof(MaskedConvolution))
        {
            if (inChannels < 1 || outChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), "Channel counts must be >= 1.");
            if (mask is not null && !mask.shape.AsSpan().SequenceEqual(new long[] { outChannels, inChannels, kernelHeight, kernelWidth }))
                throw new ArgumentException($"The mask has shape [{string.Join(", ", mask.shape)}]; expected [{outChannels}, {inChannels}, {kernelHeight}, {kernelWidth}].", nameof(mask));
            double bound = 1 / Math.Sqrt((double)inChannels * kernelHeight * kernelWidth);
            weight = nn.Parameter(empty(outChannels, inChannels, kernelHeight, kernelWidth).uniform_(-bound, bound));
            bias = nn.Parameter(empty(outChannels).uniform_(-bound, bound));
            this.mask = mask;
            _padding = new long[] { centerColumn, kernelWidth - 1 - centerColumn, centerRow, kernelHeight - 1 - centerRow };
            _kernelFallbacks = kernelFallbacks;
            RegisterComponents();
        }

        /// <summary>Output channels.</summary>
        public long OutChannels => weight.shape[0];

        /// <summary>The weight as applied (masked).</summary>
        public Tensor EffectiveWeight => mask is null ? weight : weight * mask;

        /// <inheritdoc />
        public override Tensor forward(Tensor input)
        {
            if (input.ndim != 4 || input.shape[1] != weight.shape[1])
                throw new ArgumentException($"Expected an input [batch, {weight.shape[1]}, height, width], got [{string.Join(", ", input.shape)}].", nameof(input));
            bool padded = _padding[0] + _padding[1] + _padding[2] + _padding[3] > 0;
            var x = padded ? nn.functional.pad(input, _padding) : input;
            return GuardedConvolution.Forward(x, EffectiveWeight, bias, _kernelFallbacks);
        }
    }
}
