using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// A 2-D convolution (groups = 1, zero padding) as im2col and one matrix product: <c>unfold</c> copies every kh x kw
    /// patch of the input into a column, and the weight [O, C*kh*kw] multiplies the columns. Neither step uses oneDNN's
    /// convolution kernels (matmul was right in every one of 1,680 shapes scanned), and autograd differentiates both, so
    /// this is the fallback for a convolution shape whose kernel failed its check. It needs a column buffer
    /// C*kh*kw times the input, so a large batch is computed in slices.
    /// </summary>
    internal static class Im2colConvolution
    {
        /// <summary>Largest column buffer per slice, in elements (64 MB of float32).</summary>
        private const long MaxColumnElements = 16L << 20;

        /// <summary>conv2d(<paramref name="input"/>, <paramref name="weight"/>, <paramref name="bias"/>) with the given stride, zero padding and dilation.</summary>
        /// <param name="input">[N, C, H, W].</param>
        /// <param name="weight">[O, C, kh, kw].</param>
        /// <param name="bias">[O] or null.</param>
        /// <param name="stride">(height, width).</param>
        /// <param name="padding">Zero padding (height, width).</param>
        /// <param name="dilation">(height, width).</param>
        /// <param name="maxColumnElements">Largest column buffer per slice of the batch (tests make it small).</param>
        public static Tensor Forward(Tensor input, Tensor weight, Tensor bias, long[] stride, long[] padding, long[] dilation,
            long maxColumnElements = MaxColumnElements)
        {
            if (input.ndim != 4 || weight.ndim != 4) throw new ArgumentException("Expected a 4-D input and weight.");
            if (weight.shape[1] != input.shape[1]) throw new ArgumentException("im2col computes only ungrouped convolutions (weight.shape[1] == input channels).", nameof(weight));
            long n = input.shape[0], o = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
            long outH = (input.shape[2] + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
            long outW = (input.shape[3] + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
            long columnsPerImage = input.shape[1] * kh * kw * outH * outW;
            long slice = Math.Max(1, Math.Min(n, maxColumnElements / Math.Max(1, columnsPerImage)));
            var matrix = weight.reshape(o, -1); // [O, C*kh*kw], the same (channel, row, column) order as unfold's rows

            Tensor Convolve(Tensor images)
            {
                var columns = nn.functional.unfold(images, (kh, kw), (dilation[0], dilation[1]), (padding[0], padding[1]), (stride[0], stride[1]));
                var result = matrix.matmul(columns); // [n, O, outH*outW]
                if (bias is not null) result = result + bias.view(1, o, 1);
                return result.view(images.shape[0], o, outH, outW);
            }

            if (slice >= n) return Convolve(input);
            var parts = new Tensor[(n + slice - 1) / slice];
            for (long start = 0, k = 0; start < n; start += slice, k++)
                parts[k] = Convolve(input.narrow(0, start, Math.Min(slice, n - start)));
            return cat(parts, 0);
        }
    }
}
