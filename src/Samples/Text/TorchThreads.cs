using static TorchSharp.torch;

namespace Samples.Text
{
    /// <summary>
    /// The number of CPU threads libtorch uses, for the whole process. The char-RNN's own option
    /// (<c>CharRnnOptions.NumberOfThreads</c>) covers training only; generation and scoring run many small
    /// operations, which on a busy machine can be several times slower with more threads than with one.
    /// </summary>
    internal static class TorchThreads
    {
        /// <summary>Sets the thread count; null leaves libtorch's default (one per core).</summary>
        public static void Use(int? threads)
        {
            if (threads is int n) set_num_threads(n);
        }
    }
}
