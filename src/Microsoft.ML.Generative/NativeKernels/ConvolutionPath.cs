namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>How a checked convolution is computed.</summary>
    internal enum ConvolutionPath
    {
        /// <summary>libtorch's own float32 convolution (oneDNN on the CPU): its check passed.</summary>
        Native,

        /// <summary><see cref="Im2colConvolution"/> in float32: the native kernel failed its check and im2col passed its own.</summary>
        Im2col,

        /// <summary>libtorch's float64 convolution, cast back: both float32 paths failed their checks.</summary>
        Float64,
    }
}
