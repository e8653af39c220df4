namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>Which kernels a convolution call runs: oneDNN has separate primitives for the forward pass and for each gradient.</summary>
    internal enum ConvolutionPass
    {
        /// <summary>Under no_grad (or nothing requires a gradient): the forward kernel only.</summary>
        Inference,

        /// <summary>With autograd, input without gradient (a network's first layer): forward, weight and bias gradients.</summary>
        TrainingWithoutInputGradient,

        /// <summary>With autograd: forward, input, weight and bias gradients.</summary>
        Training,
    }
}
