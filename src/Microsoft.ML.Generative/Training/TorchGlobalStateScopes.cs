using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// Seeds TorchSharp's process-wide generator for the duration of a block (model construction draws its initial
    /// weights from it) and restores the previous generator state afterwards, so a host application's own random
    /// stream is left as it was. Not meant to overlap with other threads drawing from the global generator.
    /// </summary>
    internal sealed class SeededGlobalGeneratorScope : IDisposable
    {
        private readonly Tensor _savedState;

        public SeededGlobalGeneratorScope(int seed)
        {
            _savedState = random.get_rng_state().DetachFromDisposeScope();
            random.manual_seed(seed);
        }

        public void Dispose()
        {
            random.set_rng_state(_savedState);
            _savedState.Dispose();
        }
    }

    /// <summary>
    /// Sets TorchSharp's process-wide intra-op thread count for a block and restores it afterwards; does nothing
    /// when no count is given, so the library never changes a host's setting unless asked to.
    /// </summary>
    internal sealed class TorchThreadsScope : IDisposable
    {
        private readonly int? _previous;

        public TorchThreadsScope(int? threads)
        {
            if (threads is int n && n > 0 && n != get_num_threads())
            {
                _previous = get_num_threads();
                set_num_threads(n);
            }
        }

        public void Dispose()
        {
            if (_previous is int n) set_num_threads(n);
        }
    }
}
