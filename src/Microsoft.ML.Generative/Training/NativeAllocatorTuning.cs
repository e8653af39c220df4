using System;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Process-wide settings of the C allocator that libtorch allocates its tensors with, applied before the first
    /// <c>Fit</c> of this library on Linux with glibc.
    /// </summary>
    /// <remarks>
    /// <para>libtorch's CPU tensors come straight from <c>malloc</c>. glibc serves a block above its mmap threshold
    /// (128 KB at first) with a fresh memory mapping and unmaps it on free. Training frees and allocates many such
    /// megabyte-sized tensors at every step, so every step page-faults on new pages. glibc raises the threshold by
    /// itself only gradually. Measured on the project's 2-core machine (docs/BENCHMARKS.md):
    /// <list type="bullet">
    /// <item><description>The first Fashion-MNIST epoch of the image flow ran at 87 instead of 295 images/s, with a
    /// fifth of the time spent in the kernel's page-fault handler.</description></item>
    /// <item><description>The char-RNN trained about 14% slower.</description></item>
    /// </list></para>
    /// <para>Before the first Fit, the library therefore sets glibc's mmap threshold to 32 MB (glibc's maximum) and its
    /// trim threshold to 1 GB, with <c>mallopt</c>, once per process, and says so in the training log. Freed tensor
    /// memory is then reused from the heap instead of being returned to the system at once. The cost: the process keeps
    /// up to that much freed memory mapped.</para>
    /// <para>Left alone:
    /// <list type="bullet">
    /// <item><description>non-glibc systems (Windows, macOS, musl);</description></item>
    /// <item><description>processes whose environment already sets malloc tunables (<c>GLIBC_TUNABLES</c> with
    /// <c>glibc.malloc.</c> entries, <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c>);</description></item>
    /// <item><description>any process that sets <see cref="TuneForTraining"/> to false before its first Fit.</description></item>
    /// </list>
    /// The settings change speed and memory retention only, never results.</para>
    /// </remarks>
    public static class NativeAllocatorTuning
    {
        private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;
        private const int MmapThreshold = 32 << 20, TrimThreshold = 1 << 30;
        private static readonly object Gate = new object();
        private static bool _attempted;

        /// <summary>Whether Fit may tune glibc's allocator for the process (see the remarks). Default true.</summary>
        public static bool TuneForTraining { get; set; } = true;

        /// <summary>True once the settings were applied in this process.</summary>
        public static bool Applied { get; private set; }

        /// <summary>
        /// Applies the settings now, if <see cref="TuneForTraining"/> allows it and the process runs on glibc without
        /// malloc settings in its environment; an application can call this at start-up so that its own TorchSharp code
        /// (before any Fit) gets them too. Idempotent. Returns <see cref="Applied"/>.
        /// </summary>
        public static bool Apply()
        {
            EnsureApplied();
            return Applied;
        }

        /// <summary>
        /// Applies the settings once per process if allowed; returns a sentence for the training log when they were
        /// applied by this call, otherwise null.
        /// </summary>
        internal static string EnsureApplied()
        {
            lock (Gate)
            {
                if (_attempted || !TuneForTraining || !OperatingSystem.IsLinux() || EnvironmentSetsMallocTunables())
                    return null;
                _attempted = true;
                try
                {
                    if (mallopt(M_MMAP_THRESHOLD, MmapThreshold) != 1 || mallopt(M_TRIM_THRESHOLD, TrimThreshold) != 1)
                        return null;
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                {
                    return null; // not glibc
                }
                Applied = true;
                return "Set glibc malloc's mmap threshold to 32 MB and trim threshold to 1 GB for this process, so libtorch reuses freed tensor memory instead of page-faulting on new mappings at every step (NativeAllocatorTuning.TuneForTraining = false keeps the defaults).";
            }
        }

        private static bool EnvironmentSetsMallocTunables()
            => (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "").Contains("glibc.malloc.", StringComparison.Ordinal)
               || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
               || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null;

        [DllImport("libc", EntryPoint = "mallopt")]
        private static extern int mallopt(int parameter, int value);
    }
}
