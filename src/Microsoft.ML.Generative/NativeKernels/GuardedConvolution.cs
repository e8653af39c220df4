using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// Calls a <c>Conv2d</c> through the path its shape's check chose (<see cref="ConvolutionCheck"/>): the module itself
    /// when libtorch's kernel is right for the shape, otherwise a fallback computed from the module's own weight and bias,
    /// noted in the caller's <see cref="KernelFallbackLog"/>. The module, its parameters and so the saved model are the
    /// same on every path.
    /// </summary>
    internal static class GuardedConvolution
    {
        /// <summary>The fallback descriptions used in warnings.</summary>
        public const string Im2colDescription = "im2col (unfold and matmul) in float32";

        /// <inheritdoc cref="Im2colDescription"/>
        public const string Float64Description = "libtorch's float64 convolution (im2col failed its check as well)";

        /// <summary><paramref name="conv"/> applied to <paramref name="input"/>, by a path whose check passed.</summary>
        public static Tensor Forward(Conv2d conv, Tensor input, KernelFallbackLog log)
        {
            // Checked: float32 on the CPU, where oneDNN runs. float64 is libtorch's own implementation (the reference);
            // other devices use other libraries. Padding modes other than zeros are not used by this library.
            if (input.device_type != TorchSharp.DeviceType.CPU || input.dtype != ScalarType.Float32
                || conv.padding_mode != TorchSharp.PaddingModes.Zeros || conv.padding_type is not null)
                return conv.call(input);

            var shape = ConvolutionShape.Of(conv, input);
            return ConvolutionCheck.Choose(shape) == ConvolutionPath.Native
                ? conv.call(input)
                : Fallback(input, conv.weight, conv.bias, shape, log);
        }

        /// <summary>
        /// The stride-1, unpadded convolution of <paramref name="input"/> with <paramref name="weight"/> [O, C, kh, kw] and
        /// <paramref name="bias"/> (or null), by a path whose check passed: for weights that are computed rather than held
        /// by a <c>Conv2d</c> (a masked convolution's weight times its mask).
        /// </summary>
        public static Tensor Forward(Tensor input, Tensor weight, Tensor bias, KernelFallbackLog log)
        {
            if (input.device_type != TorchSharp.DeviceType.CPU || input.dtype != ScalarType.Float32)
                return nn.functional.conv2d(input, weight, bias);
            var shape = ConvolutionShape.Of(weight, bias is not null, input);
            return ConvolutionCheck.Choose(shape) == ConvolutionPath.Native
                ? ConvolutionCheck.ConvolveNatively(input, weight, bias, shape)
                : Fallback(input, weight, bias, shape, log);
        }

        private static Tensor Fallback(Tensor input, Tensor weight, Tensor bias, ConvolutionShape shape, KernelFallbackLog log)
        {
            if (ConvolutionCheck.Choose(shape) == ConvolutionPath.Im2col)
            {
                log.Record(new KernelFallback(ConvolutionCheck.Native.Kernel, shape.ToString(), Im2colDescription));
                return ConvolutionCheck.ConvolveByIm2col(input, weight, bias, shape);
            }
            log.Record(new KernelFallback(ConvolutionCheck.Native.Kernel, shape.ToString(), Float64Description));
            return ConvolutionCheck.ConvolveNatively(input.to(ScalarType.Float64), weight.to(ScalarType.Float64),
                bias?.to(ScalarType.Float64), shape).to(input.dtype);
        }
    }
}
