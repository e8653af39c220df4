using Microsoft.ML.Data;
using System;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// Per-cursor scoring state of a model: reads the input value of the row its input row is positioned on into
    /// the next slot of a batch, scores all slots with one model call, and serves output values by slot. One
    /// instance per cursor (it owns buffers), so cursors in different threads never share state.
    /// </summary>
    internal abstract class RowBatchScorer : IDisposable
    {
        protected RowBatchScorer(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            Capacity = capacity;
        }

        /// <summary>Maximum number of rows in one batch.</summary>
        public int Capacity { get; }

        /// <summary>Number of rows appended since the last <see cref="Clear"/>.</summary>
        public int Count { get; private set; }

        /// <summary>Reads the current value of the bound input row into the next slot. Throws, naming the column and row, on bad input.</summary>
        public void Append(long rowPosition)
        {
            if (Count >= Capacity) throw new InvalidOperationException("The batch is full.");
            ReadInput(Count, rowPosition);
            Count++;
        }

        /// <summary>Empties the batch.</summary>
        public void Clear() => Count = 0;

        /// <summary>Scores slots 0..Count-1 with one model call.</summary>
        public void Score()
        {
            if (Count > 0) ScoreSlots(Count);
        }

        /// <summary>A getter (a typed ValueGetter) for output column <paramref name="outputIndex"/> at the slot <paramref name="slot"/> returns.</summary>
        public abstract Delegate MakeOutputGetter(int outputIndex, Func<int> slot);

        protected abstract void ReadInput(int slot, long rowPosition);

        protected abstract void ScoreSlots(int count);

        public virtual void Dispose() { }
    }
}
