using static TorchSharp.torch;

namespace Samples.Text
{
    /// <summary>
    /// The number of CPU threads libtorch uses, for the whole process (the char-RNN's own option,
    /// <c>CharRnnOptions.NumberOfThreads</c>, covers training only). The text commands default to one thread: a
    /// char-RNN runs many small operations, and when other processes keep the cores busy, libtorch's OpenMP threads
    /// spin waiting for each other. On a busy 2-core machine, training with 2 threads ran 25 times slower than with
    /// one (1.2k against 30k characters a second); OMP_WAIT_POLICY=PASSIVE in the environment avoids that.
    /// </summary>
    internal static class TorchThreads
    {
        /// <summary>The text and image commands' default.</summary>
        public const int Default = 1;

        /// <summary>Sets the thread count; 0 keeps libtorch's default (one per core).</summary>
        public static void Use(int threads)
        {
            if (threads > 0) set_num_threads(threads);
        }
    }
}
