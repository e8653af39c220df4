namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>A module whose native kernels are checked at run time and that logs the fallbacks it uses.</summary>
    internal interface IKernelFallbackSource
    {
        /// <summary>The fallbacks this module has used.</summary>
        KernelFallbackLog KernelFallbacks { get; }
    }
}
