using System;
using System.Linq;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// Mini-batches of the rows of a tensor, in a new seeded order every epoch: the same seed gives the same batches.
    /// A last batch of a single row is dropped for the epoch (a batch needs 2 rows for batch statistics).
    /// </summary>
    internal sealed class ShuffledBatches : IDisposable
    {
        private readonly Tensor _rows;      // not owned
        private readonly int _batchSize;
        private readonly Random _random;
        private Tensor _order;

        public ShuffledBatches(Tensor rows, int batchSize, int seed)
        {
            _rows = rows;
            int n = (int)rows.shape[0];
            _batchSize = Math.Min(batchSize, n);
            int full = n / _batchSize, rest = n % _batchSize;
            Count = full + (rest >= 2 ? 1 : 0);
            _random = new Random(seed);
        }

        /// <summary>Batches per epoch.</summary>
        public int Count { get; }

        /// <summary>Draws the order of the next epoch.</summary>
        public void Reshuffle()
        {
            var order = Enumerable.Range(0, (int)_rows.shape[0]).Select(i => (long)i).ToArray();
            SeededShuffle.Shuffle(order, _random);
            _order?.Dispose();
            _order = tensor(order).to(_rows.device).DetachFromDisposeScope();
        }

        /// <summary>The rows of batch <paramref name="batch"/> of this epoch's order (a new tensor in the current dispose scope).</summary>
        public Tensor Take(int batch)
        {
            long start = (long)batch * _batchSize;
            long count = Math.Min(_batchSize, _rows.shape[0] - start);
            return _rows.index_select(0, _order.narrow(0, start, count));
        }

        public void Dispose() => _order?.Dispose();
    }
}
