using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// Puts a model's kernel fallbacks in a training log: each distinct fallback once per model, whenever it is first
    /// seen, so training code can call <see cref="LogNew"/> as often as it likes (after every epoch, after training).
    /// </summary>
    internal static class KernelFallbackWarnings
    {
        // Per model, the messages already logged. Weak keys: a model that is collected takes its entry with it.
        private static readonly ConditionalWeakTable<nn.Module, HashSet<string>> Logged = new();

        /// <summary>The distinct fallbacks that <paramref name="model"/> and its submodules have used.</summary>
        public static IReadOnlyList<KernelFallback> In(nn.Module model)
            => model.modules().Prepend(model).OfType<IKernelFallbackSource>().Distinct()
                .SelectMany(source => source.KernelFallbacks.Used).Distinct().ToList();

        /// <summary>Logs a warning for every fallback of <paramref name="model"/> not yet logged for it.</summary>
        public static void LogNew(nn.Module model, IChannel channel)
        {
            var fallbacks = In(model);
            if (fallbacks.Count == 0) return;
            var logged = Logged.GetValue(model, _ => new HashSet<string>());
            foreach (var fallback in fallbacks)
            {
                bool isNew;
                lock (logged) isNew = logged.Add(fallback.Message);
                if (isNew) channel.WarningInvariant($"{fallback.Message}");
            }
        }
    }
}
