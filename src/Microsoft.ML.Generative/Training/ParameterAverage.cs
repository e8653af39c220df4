using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// An exponential moving average of a module's trainable parameters, updated after every optimizer step (Polyak
    /// averaging): average = d x average + (1 - d) x live, with d = min(decay, (1 + t) / (10 + t)) at update t, so the
    /// first updates are not dominated by the initial weights. Buffers (batch-norm statistics) are not averaged.
    /// </summary>
    internal sealed class ParameterAverage : IDisposable
    {
        private readonly List<(Parameter Live, Tensor Average, Tensor Backup)> _pairs;
        private readonly double _decay;
        private long _updates;

        public ParameterAverage(IEnumerable<Parameter> parameters, double decay)
        {
            if (!(decay > 0 && decay < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "must be in (0, 1).");
            _decay = decay;
            using (no_grad())
                _pairs = parameters.Select(p => (p, p.detach().clone().DetachFromDisposeScope(), empty_like(p).DetachFromDisposeScope())).ToList();
        }

        /// <summary>Number of updates so far.</summary>
        public long Updates => _updates;

        /// <summary>Folds the live parameters into the average; call after each optimizer step.</summary>
        public void Update()
        {
            _updates++;
            double d = Math.Min(_decay, (1.0 + _updates) / (10.0 + _updates));
            using (no_grad())
                foreach (var (live, average, _) in _pairs)
                    average.mul_(d).add_(live, alpha: 1 - d);
        }

        /// <summary>Puts the averaged values into the live parameters until the returned scope is disposed, which puts the live values back.</summary>
        public IDisposable SwapIn()
        {
            using (no_grad())
                foreach (var (live, average, backup) in _pairs)
                {
                    backup.copy_(live);
                    live.copy_(average);
                }
            return new Restore(this);
        }

        public void Dispose()
        {
            foreach (var (_, average, backup) in _pairs)
            {
                average.Dispose();
                backup.Dispose();
            }
            _pairs.Clear();
        }

        private sealed class Restore : IDisposable
        {
            private ParameterAverage _owner;
            public Restore(ParameterAverage owner) => _owner = owner;

            public void Dispose()
            {
                if (_owner is null) return;
                using (no_grad())
                    foreach (var (live, _, backup) in _owner._pairs)
                        live.copy_(backup);
                _owner = null;
            }
        }
    }
}
