using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// Everything libtorch's and oneDNN's choice of a 2-D convolution kernel can depend on: input [N, C, H, W] (the batch
    /// size included: libtorch does not even use oneDNN for a batch of one, and oneDNN blocks the batch differently for
    /// different sizes), weight [O, C/groups, kh, kw], stride, padding, dilation, groups, bias, dtype, the pass (with or
    /// without autograd, and which gradients) and the intra-op thread count (libtorch and oneDNN choose by it too).
    /// </summary>
    internal readonly record struct ConvolutionShape(
        long Batch, long InChannels, long Height, long Width,
        long OutChannels, long KernelHeight, long KernelWidth,
        long StrideHeight, long StrideWidth, long PaddingHeight, long PaddingWidth,
        long DilationHeight, long DilationWidth, long Groups, bool Bias,
        ScalarType DType, ConvolutionPass Pass, int Threads)
    {
        /// <summary>
        /// The shape of a stride-1, unpadded, undilated, ungrouped convolution of <paramref name="input"/> with
        /// <paramref name="weight"/> [O, C, kh, kw] now (a masked convolution passes its masked weight and pads the input itself).
        /// </summary>
        public static ConvolutionShape Of(Tensor weight, bool bias, Tensor input)
        {
            if (input.ndim != 4) throw new ArgumentException($"Expected an input [batch, channels, height, width], got [{string.Join(", ", input.shape)}].", nameof(input));
            var w = weight.shape;
            bool autograd = is_grad_enabled() && (input.requires_grad || weight.requires_grad);
            var pass = !autograd ? ConvolutionPass.Inference
                : input.requires_grad ? ConvolutionPass.Training : ConvolutionPass.TrainingWithoutInputGradient;
            return new ConvolutionShape(input.shape[0], input.shape[1], input.shape[2], input.shape[3],
                w[0], w[2], w[3], 1, 1, 0, 0, 1, 1, 1, bias, input.dtype, pass, get_num_threads());
        }

        /// <summary>The shape of <paramref name="conv"/> applied to <paramref name="input"/> now (autograd state and thread count included).</summary>
        public static ConvolutionShape Of(Conv2d conv, Tensor input)
        {
            if (input.ndim != 4) throw new ArgumentException($"Expected an input [batch, channels, height, width], got [{string.Join(", ", input.shape)}].", nameof(input));
            var w = conv.weight.shape;
            bool autograd = is_grad_enabled() && (input.requires_grad || conv.weight.requires_grad);
            var pass = !autograd ? ConvolutionPass.Inference
                : input.requires_grad ? ConvolutionPass.Training : ConvolutionPass.TrainingWithoutInputGradient;
            return new ConvolutionShape(input.shape[0], input.shape[1], input.shape[2], input.shape[3],
                w[0], w[2], w[3], conv.stride[0], conv.stride[1], conv.padding[0], conv.padding[1],
                conv.dilation[0], conv.dilation[1], conv.groups, conv.bias is not null,
                input.dtype, pass, get_num_threads());
        }

        /// <summary>Input shape.</summary>
        public long[] InputShape => new[] { Batch, InChannels, Height, Width };

        /// <summary>Weight shape.</summary>
        public long[] WeightShape => new[] { OutChannels, InChannels / Groups, KernelHeight, KernelWidth };

        /// <summary>Stride (height, width).</summary>
        public long[] Strides => new[] { StrideHeight, StrideWidth };

        /// <summary>Zero padding (height, width).</summary>
        public long[] Paddings => new[] { PaddingHeight, PaddingWidth };

        /// <summary>Dilation (height, width).</summary>
        public long[] Dilations => new[] { DilationHeight, DilationWidth };

        /// <summary>For messages: "input [64, 32, 28, 28], weight [32, 32, 3, 3], stride 1x1, padding 1x1, Float32, training (...), 2 threads".</summary>
        public override string ToString()
        {
            string dilation = DilationHeight == 1 && DilationWidth == 1 ? "" : $", dilation {DilationHeight}x{DilationWidth}";
            string groups = Groups == 1 ? "" : $", {Groups} groups";
            string pass = Pass switch
            {
                ConvolutionPass.Inference => "inference (no autograd)",
                ConvolutionPass.TrainingWithoutInputGradient => "training (weight and bias gradients)",
                _ => "training (input, weight and bias gradients)",
            };
            return $"convolution input [{string.Join(", ", InputShape)}], weight [{string.Join(", ", WeightShape)}]{(Bias ? " with bias" : "")}, stride {StrideHeight}x{StrideWidth}, padding {PaddingHeight}x{PaddingWidth}{dilation}{groups}, {DType}, {pass}, {Threads} thread(s)";
        }
    }
}
