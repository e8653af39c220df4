using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// Whether libtorch's float32 convolution (oneDNN on the CPU) computes the right function for a
    /// <see cref="ConvolutionShape"/> on this CPU, and if not, whether <see cref="Im2colConvolution"/> does. Each
    /// candidate runs the shape's pass (forward; with autograd also the gradients of input, weight and bias) on seeded
    /// random data of exactly that shape, and libtorch's float64 convolution (its own implementation: oneDNN handles
    /// float32 and bfloat16 only) is the reference. Once per shape and process (<see cref="KernelCheck{TShape}"/>).
    /// </summary>
    /// <remarks>
    /// The random data comes from a local generator: the check never draws from, nor reseeds, the global generator, builds
    /// no module and leaves the thread count alone, so a model scored while another thread trains with a seeded global
    /// generator disturbs nothing. It runs on the calling thread at the thread count in force, which is part of the shape.
    /// </remarks>
    internal static class ConvolutionCheck
    {
        private const ulong Seed = 20261201;

        /// <summary>The results for libtorch's float32 convolution.</summary>
        public static readonly KernelCheck<ConvolutionShape> Native = new("float32 convolution (oneDNN)");

        /// <summary>The results for the im2col fallback.</summary>
        public static readonly KernelCheck<ConvolutionShape> Im2col = new("im2col convolution");

        /// <summary>The fastest path whose check passes for <paramref name="shape"/> (float64 when none does).</summary>
        public static ConvolutionPath Choose(ConvolutionShape shape)
        {
            if (Native.IsCorrect(shape, s => Agrees(s, ConvolveNatively)))
                return ConvolutionPath.Native;
            if (shape.Groups == 1 && Im2col.IsCorrect(shape, s => Agrees(s, ConvolveByIm2col)))
                return ConvolutionPath.Im2col;
            return ConvolutionPath.Float64;
        }

        /// <summary>libtorch's convolution for <paramref name="shape"/>'s parameters (float32: oneDNN; float64: the reference).</summary>
        public static Tensor ConvolveNatively(Tensor input, Tensor weight, Tensor bias, ConvolutionShape shape)
            => nn.functional.conv2d(input, weight, bias, shape.Strides, shape.Paddings, shape.Dilations, shape.Groups);

        /// <summary><see cref="Im2colConvolution"/> for <paramref name="shape"/>'s parameters.</summary>
        public static Tensor ConvolveByIm2col(Tensor input, Tensor weight, Tensor bias, ConvolutionShape shape)
            => Im2colConvolution.Forward(input, weight, bias, shape.Strides, shape.Paddings, shape.Dilations);

        /// <summary>
        /// Measures <paramref name="candidate"/> in <paramref name="shape"/>'s dtype against the float64 reference:
        /// true when the output and (in training) every gradient agree within <see cref="KernelAgreement.RelativeTolerance"/>.
        /// Never throws (but for out-of-memory): a candidate that throws is wrong.
        /// </summary>
        internal static bool Agrees(ConvolutionShape shape, Func<Tensor, Tensor, Tensor, ConvolutionShape, Tensor> candidate)
        {
            try
            {
                using var scope = NewDisposeScope();
                using var generator = new Generator(Seed, CPU);
                var dtype = shape.DType;
                var w = shape.WeightShape;
                var input = randn(shape.InputShape, dtype: dtype, generator: generator);
                var weight = randn(w, dtype: dtype, generator: generator) / Math.Sqrt(w[1] * w[2] * w[3]);
                var bias = shape.Bias ? randn(new[] { shape.OutChannels }, dtype: dtype, generator: generator) * 0.1 : null;

                var (output, gradients) = Run(candidate, shape, input, weight, bias, generator, upstream: null);
                var upstream = gradients.Upstream;
                var (expected, expectedGradients) = Run(ConvolveNatively, shape, input.to(ScalarType.Float64), weight.to(ScalarType.Float64),
                    bias?.to(ScalarType.Float64), generator, upstream?.to(ScalarType.Float64));
                if (!KernelAgreement.Agrees(output, expected)) return false;
                for (int i = 0; i < gradients.Values.Length; i++)
                    if (!KernelAgreement.Agrees(gradients.Values[i], expectedGradients.Values[i])) return false;
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return false;
            }
        }

        /// <summary>
        /// One pass of <paramref name="convolve"/>: the output and, with autograd, the gradients of the inputs that the pass
        /// differentiates for a loss sum(output * upstream) (upstream drawn from <paramref name="generator"/> when null).
        /// </summary>
        private static (Tensor output, (Tensor Upstream, Tensor[] Values) gradients) Run(Func<Tensor, Tensor, Tensor, ConvolutionShape, Tensor> convolve,
            ConvolutionShape shape, Tensor input, Tensor weight, Tensor bias, Generator generator, Tensor upstream)
        {
            if (shape.Pass == ConvolutionPass.Inference)
            {
                using (no_grad())
                    return (convolve(input, weight, bias, shape), (null, Array.Empty<Tensor>()));
            }
            using (enable_grad())
            {
                bool inputGradient = shape.Pass == ConvolutionPass.Training;
                var x = input.detach().requires_grad_(inputGradient);
                var wt = weight.detach().requires_grad_(true);
                var b = bias?.detach().requires_grad_(true);
                var output = convolve(x, wt, b, shape);
                upstream ??= randn(output.shape, dtype: output.dtype, generator: generator);
                var differentiated = new System.Collections.Generic.List<Tensor>();
                if (inputGradient) differentiated.Add(x);
                differentiated.Add(wt);
                if (b is not null) differentiated.Add(b);
                var values = autograd.grad(new[] { output }, differentiated, new[] { upstream });
                return (output.detach(), (upstream, System.Linq.Enumerable.ToArray(values)));
            }
        }
    }
}
