using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

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

        /// <summary>
        /// The first <paramref name="count"/> rows of <paramref name="buffer"/> (a row-major [Capacity, ...] array) as a
        /// tensor of shape [count, <paramref name="rowShape"/>...] on <paramref name="device"/>.
        /// </summary>
        protected Tensor BatchTensor(float[] buffer, long[] rowShape, int count, Device device)
        {
            var x = tensor(buffer, new long[] { Capacity }.Concat(rowShape).ToArray());
            if (count < Capacity) x = x.narrow(0, 0, count);
            return device.type == DeviceType.CPU ? x : x.to(device);
        }

        /// <summary>
        /// A flow's log-likelihood is NaN only when a finite input lies so far outside the training data that float32
        /// overflows inside it (inf - inf): such a row is infinitely unlikely, and is reported as -Infinity, never NaN.
        /// </summary>
        protected static void ReplaceNaNByNegativeInfinity(Span<float> logLikelihoods)
        {
            for (int i = 0; i < logLikelihoods.Length; i++)
                if (float.IsNaN(logLikelihoods[i]))
                    logLikelihoods[i] = float.NegativeInfinity;
        }

        protected abstract void ScoreSlots(int count);

        public virtual void Dispose() { }
    }
}
