using System;
using System.Threading;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// The library's use of TorchSharp's process-wide state: the intra-op thread count and the global random generator.
    /// </summary>
    /// <remarks>
    /// <para>Both are shared by every thread of the process. A seeded Fit draws its initial weights, and a char-RNN its
    /// dropout masks for the whole run, from the global generator, so another draw from it in the middle (a second Fit on
    /// another thread, or building a network while loading a model) would change the trained model. Every use of that
    /// state by this library therefore holds one process-wide lock: concurrent Fit calls run one after the other and give
    /// the same models as when called serially, and loading a model waits for a running Fit. Scoring never takes the
    /// lock (it draws only from local generators).</para>
    /// <para>Whatever a block changes is put back when it ends, so a host application finds the thread count and its
    /// generator's state as they were. Code of the host that draws from the global generator while a Fit runs is outside
    /// this lock and makes that Fit's result depend on timing.</para>
    /// </remarks>
    internal static class TorchGlobalState
    {
        private static readonly object Gate = new object();

        /// <summary>
        /// Holds the lock for a Fit: sets the thread count when <paramref name="threads"/> is given, and saves the global
        /// generator's state; disposing restores both and releases the lock. Seed the generator inside with
        /// <c>random.manual_seed</c>.
        /// </summary>
        public static IDisposable EnterTraining(int? threads) => new Scope(threads);

        /// <summary>Runs <paramref name="build"/> (which may draw from the global generator) under the lock and restores the generator's state.</summary>
        public static T PreservingGenerator<T>(Func<T> build)
        {
            using (new Scope(threads: null))
                return build();
        }

        private sealed class Scope : IDisposable
        {
            private readonly int? _previousThreads;
            private readonly Tensor _generatorState;
            private bool _disposed;

            public Scope(int? threads)
            {
                Monitor.Enter(Gate);
                try
                {
                    _generatorState = random.get_rng_state().DetachFromDisposeScope();
                    if (threads is int n && n > 0 && n != get_num_threads())
                    {
                        _previousThreads = get_num_threads();
                        set_num_threads(n);
                    }
                }
                catch
                {
                    Monitor.Exit(Gate);
                    throw;
                }
            }

            public void Dispose()
            {
                if (_disposed) return;
                _disposed = true;
                try
                {
                    random.set_rng_state(_generatorState);
                    _generatorState.Dispose();
                    if (_previousThreads is int n) set_num_threads(n);
                }
                finally
                {
                    Monitor.Exit(Gate);
                }
            }
        }
    }
}
