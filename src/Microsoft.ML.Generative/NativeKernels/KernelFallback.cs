namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>One shape that a model computes through a fallback because the native kernel failed its check.</summary>
    /// <param name="Kernel">The kernel that failed ("oneDNN convolution").</param>
    /// <param name="Shape">The shape it failed for, as <c>ToString()</c> of the check's shape.</param>
    /// <param name="Fallback">What computes it instead.</param>
    internal sealed record KernelFallback(string Kernel, string Shape, string Fallback)
    {
        /// <summary>The warning Fit logs.</summary>
        public string Message
            => $"This CPU's {Kernel} kernel gave wrong results for {Shape} in a check against float64 (docs/ONEDNN-KERNEL-BUGS.md); this model computes that shape through {Fallback} instead: the same function, slower.";
    }
}
