using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// The fallbacks one module has used so far, each recorded once. A model keeps its own log (not the process-wide
    /// check results), so every model that computes through a fallback says so, even when the check that chose the
    /// fallback ran earlier in the process for another model.
    /// </summary>
    internal sealed class KernelFallbackLog
    {
        private readonly ConcurrentDictionary<KernelFallback, bool> _used = new();

        /// <summary>Notes that <paramref name="fallback"/> computed something for this module (cheap when already noted).</summary>
        public void Record(KernelFallback fallback) => _used.TryAdd(fallback, true);

        /// <summary>The fallbacks used so far.</summary>
        public IReadOnlyList<KernelFallback> Used => _used.Keys.ToList();
    }
}
