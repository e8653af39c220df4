using System;
using System.Collections.Concurrent;
using System.Threading;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// The per-process memory of one kind of kernel check: whether the kernel computed the right function for each
    /// shape measured so far. A shape is measured once, on the first thread that asks; threads asking for the same shape
    /// meanwhile wait for that measurement instead of repeating it.
    /// </summary>
    /// <typeparam name="TShape">Everything the native library's choice of kernel can depend on (a value type with value equality).</typeparam>
    internal sealed class KernelCheck<TShape> where TShape : struct, IEquatable<TShape>
    {
        private readonly ConcurrentDictionary<TShape, Lazy<bool>> _results = new();
        private volatile Func<TShape, bool> _forcedWrong;

        /// <param name="kernel">What is checked, for messages ("oneDNN convolution").</param>
        public KernelCheck(string kernel) => Kernel = kernel;

        /// <summary>What is checked, for messages.</summary>
        public string Kernel { get; }

        /// <summary>
        /// Whether the kernel is right for <paramref name="shape"/>: the cached answer, or <paramref name="measure"/>'s
        /// (run once per shape and process). <paramref name="measure"/> must not throw: a kernel that throws counts as wrong.
        /// </summary>
        public bool IsCorrect(TShape shape, Func<TShape, bool> measure)
        {
            if (_forcedWrong is { } forced && forced(shape)) return false;
            return _results.GetOrAdd(shape, s => new Lazy<bool>(() => measure(s), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        }

        /// <summary>Number of shapes measured (or being measured) in this process.</summary>
        public int MeasuredShapes => _results.Count;

        /// <summary>Whether <paramref name="shape"/> was measured in this process, and with what answer.</summary>
        public bool? CachedResult(TShape shape)
            => _results.TryGetValue(shape, out var result) && result.IsValueCreated ? result.Value : null;

        /// <summary>
        /// Test hook: until the returned scope is disposed, every shape <paramref name="wrong"/> selects is reported wrong
        /// without being measured (and without touching the cache), so tests can drive the fallback paths on a CPU whose
        /// kernels are right. Not for concurrent tests.
        /// </summary>
        internal IDisposable ForceWrong(Func<TShape, bool> wrong)
        {
            var previous = _forcedWrong;
            _forcedWrong = wrong ?? throw new ArgumentNullException(nameof(wrong));
            return new Restore(() => _forcedWrong = previous);
        }

        private sealed class Restore : IDisposable
        {
            private Action _undo;
            public Restore(Action undo) => _undo = undo;
            public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
        }
    }
}
