using System;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows.Image
{
    /// <summary>
    /// The scale/translation network of an image coupling, a small ResNet as in the Real NVP paper (section 3.7):
    /// a 3x3 convolution to <c>featureMaps</c> channels, pre-activation residual blocks
    /// (norm, activation, conv 3x3, norm, activation, conv 3x3, plus the skip), then norm, activation and a 3x3
    /// output convolution. The output convolution starts at zero, so every coupling starts as the identity map.
    /// </summary>
    /// <remarks>
    /// <para>libtorch 2.10's oneDNN convolution kernels return wrong results, with no error, for some shapes on some CPUs
    /// (docs/ONEDNN-KERNEL-BUGS.md). Two measures protect this network:</para>
    /// <list type="bullet">
    /// <item><description>Fixed channel rules avoid the bad shapes measured so far, at no run-time cost: a Conv2d with
    /// fewer than 16 output channels intermittently returns NaN input gradients (AMD EPYC "Zen 4", 2 threads), and one
    /// whose input channels are above 16 but not a multiple of 16 returns wrong outputs for batches of more than one image
    /// (AMD EPYC "Zen 5"). So the output convolution produces <c>outputChannels</c> rounded up to a multiple of 16 and the
    /// network returns the first <c>outputChannels</c> (the extra channels get no gradient and stay at zero); an input of
    /// more than 16 channels is padded with zero channels to a multiple of 16; and <c>featureMaps</c> must be a multiple
    /// of 16. The rules also cover the intermittent NaN case, which a one-time check can miss.</description></item>
    /// <item><description>A run-time check protects CPUs nobody measured: the first time a convolution meets a shape (batch
    /// size, pass with or without autograd, and thread count included), the process compares libtorch's float32 kernel with
    /// float64 on random data of that shape (<c>NativeKernels/ConvolutionCheck</c>), and a shape that fails is
    /// computed through im2col and matmul instead (or float64, should im2col fail too). The convolutions stay the same
    /// <c>Conv2d</c> modules, so the parameters, their initial values and the saved model do not depend on the path, and
    /// training logs a warning for every fallback the model used.</description></item>
    /// </list>
    /// <para>With a <c>maskPlane</c> the network sees it as one extra, constant input channel. Checkerboard couplings
    /// pass their pattern: a masked-out pixel is 0, which is also an ordinary value, and a translation-invariant
    /// convolution cannot otherwise tell which pixels it is meant to predict. Channel-wise couplings pass none: their
    /// mask is constant over space and says nothing a convolution could use.</para>
    /// </remarks>
    internal sealed class ResNetConditioner : nn.Module<Tensor, Tensor>, IKernelFallbackSource
    {
        /// <summary>The smallest number of output channels any convolution here is given, and the multiple that channel counts above it are rounded to (see the remarks).</summary>
        public const int MinimumConvolutionChannels = 16;

        /// <summary><paramref name="channels"/> rounded up to a multiple of <see cref="MinimumConvolutionChannels"/>.</summary>
        public static int RoundUpChannels(int channels)
            => (channels + MinimumConvolutionChannels - 1) / MinimumConvolutionChannels * MinimumConvolutionChannels;

        private readonly Conv2d in_conv;
        private readonly ModuleList<ResidualBlock> blocks;
        private readonly nn.Module<Tensor, Tensor> out_norm;
        private readonly Conv2d out_conv;
        private readonly Tensor mask_plane; // [1, 1, H, W], or null
        private readonly ConditionerActivation _activation;
        private readonly int _outputChannels;
        private readonly int _inputPadding;   // zero channels appended to the input (see the remarks)
        private readonly KernelFallbackLog _kernelFallbacks = new(); // not a module: no state-dict entry

        /// <summary>
        /// Creates the network [batch, inputChannels, H, W] -> [batch, outputChannels, H, W].
        /// </summary>
        /// <param name="inputChannels">Channels of the (masked) input.</param>
        /// <param name="outputChannels">Channels returned: 2C for a coupling over C channels.</param>
        /// <param name="featureMaps">Width of the hidden convolutions; at least 16.</param>
        /// <param name="residualBlocks">Number of residual blocks (0 or more).</param>
        /// <param name="activation">Activation between convolutions.</param>
        /// <param name="batchNorm">Use BatchNorm2d before each activation (the paper's choice); otherwise no normalisation.</param>
        /// <param name="maskPlane">Optional [H, W] plane appended to the input as an extra channel (see the remarks).</param>
        public ResNetConditioner(int inputChannels, int outputChannels, int featureMaps, int residualBlocks,
            ConditionerActivation activation = ConditionerActivation.Relu, bool batchNorm = false, float[,] maskPlane = null)
            : base(nameof(ResNetConditioner))
        {
            if (inputChannels < 1) throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "must be >= 1.");
            if (outputChannels < 1) throw new ArgumentOutOfRangeException(nameof(outputChannels), outputChannels, "must be >= 1.");
            if (featureMaps < MinimumConvolutionChannels || featureMaps % MinimumConvolutionChannels != 0)
                throw new ArgumentOutOfRangeException(nameof(featureMaps), featureMaps,
                    $"must be a multiple of {MinimumConvolutionChannels} (16, 32, 48, ...): oneDNN's kernels for other channel counts give NaN gradients or wrong outputs on some CPUs.");
            if (residualBlocks < 0) throw new ArgumentOutOfRangeException(nameof(residualBlocks), residualBlocks, "must be >= 0.");
            if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation));
            _activation = activation;
            _outputChannels = outputChannels;

            if (maskPlane != null)
            {
                int h = maskPlane.GetLength(0), w = maskPlane.GetLength(1);
                var flat = new float[h * w];
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        flat[i * w + j] = maskPlane[i, j];
                mask_plane = tensor(flat, new long[] { 1, 1, h, w });
            }
            int convolvedChannels = inputChannels + (maskPlane != null ? 1 : 0);
            _inputPadding = convolvedChannels > MinimumConvolutionChannels ? RoundUpChannels(convolvedChannels) - convolvedChannels : 0;
            in_conv = nn.Conv2d(convolvedChannels + _inputPadding, featureMaps, 3, padding: 1);
            var list = new ResidualBlock[residualBlocks];
            for (int i = 0; i < residualBlocks; i++)
                list[i] = new ResidualBlock(featureMaps, batchNorm, activation, _kernelFallbacks);
            blocks = new ModuleList<ResidualBlock>(list);
            out_norm = Norm(featureMaps, batchNorm);
            out_conv = nn.Conv2d(featureMaps, RoundUpChannels(outputChannels), 3, padding: 1);
            using (no_grad())
            {
                out_conv.weight.zero_();
                out_conv.bias.zero_();
            }
            RegisterComponents();
        }

        /// <summary>Number of channels returned (the output convolution may compute more; see the remarks).</summary>
        public int OutputChannels => _outputChannels;

        KernelFallbackLog IKernelFallbackSource.KernelFallbacks => _kernelFallbacks;

        /// <inheritdoc />
        public override Tensor forward(Tensor x)
        {
            if (mask_plane is not null)
            {
                if (x.shape[2] != mask_plane.shape[2] || x.shape[3] != mask_plane.shape[3])
                    throw new ArgumentException($"this conditioner was built for {mask_plane.shape[2]}x{mask_plane.shape[3]} images; got {x.shape[2]}x{x.shape[3]}.");
                x = cat(new[] { x, mask_plane.expand(x.shape[0], 1, -1, -1) }, 1);
            }
            if (_inputPadding > 0)
                x = cat(new[] { x, zeros(new long[] { x.shape[0], _inputPadding, x.shape[2], x.shape[3] }, dtype: x.dtype, device: x.device) }, 1);
            var h = GuardedConvolution.Forward(in_conv, x, _kernelFallbacks);
            foreach (var block in blocks)
                h = block.call(h);
            h = GuardedConvolution.Forward(out_conv, Activate(out_norm.call(h), _activation), _kernelFallbacks);
            return h.narrow(1, 0, _outputChannels);
        }

        private static nn.Module<Tensor, Tensor> Norm(int channels, bool batchNorm)
            => batchNorm ? nn.BatchNorm2d(channels) : nn.Identity();

        private static Tensor Activate(Tensor x, ConditionerActivation activation) => activation switch
        {
            ConditionerActivation.Tanh => x.tanh(),
            ConditionerActivation.Silu => nn.functional.silu(x),
            _ => nn.functional.relu(x),
        };

        /// <summary>h + conv(act(norm(conv(act(norm(h)))))): a pre-activation residual block (He et al. 2016).</summary>
        private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
        {
            private readonly nn.Module<Tensor, Tensor> norm1;
            private readonly Conv2d conv1;
            private readonly nn.Module<Tensor, Tensor> norm2;
            private readonly Conv2d conv2;
            private readonly ConditionerActivation _activation;
            private readonly KernelFallbackLog _kernelFallbacks; // the conditioner's

            public ResidualBlock(int channels, bool batchNorm, ConditionerActivation activation, KernelFallbackLog kernelFallbacks) : base(nameof(ResidualBlock))
            {
                _activation = activation;
                _kernelFallbacks = kernelFallbacks;
                norm1 = Norm(channels, batchNorm);
                conv1 = nn.Conv2d(channels, channels, 3, padding: 1);
                norm2 = Norm(channels, batchNorm);
                conv2 = nn.Conv2d(channels, channels, 3, padding: 1);
                RegisterComponents();
            }

            public override Tensor forward(Tensor h)
            {
                var r = GuardedConvolution.Forward(conv1, Activate(norm1.call(h), _activation), _kernelFallbacks);
                r = GuardedConvolution.Forward(conv2, Activate(norm2.call(r), _activation), _kernelFallbacks);
                return h + r;
            }
        }
    }
}
