using System;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// What the scorers of the flows share: one float-vector input per row (length and finiteness checked, then the
    /// family's own check), one forward pass z = f(x) per batch, and the Score (-log p), LogLikelihood and Latent columns.
    /// A family adds its other columns from <see cref="LogLikelihoodAt"/> and <see cref="Inputs"/>.
    /// </summary>
    internal abstract class FlowBatchScorer : RowBatchScorer
    {
        private readonly ValueGetter<VBuffer<float>> _input;
        private readonly bool _latentActive;
        private readonly float[] _latent;          // null unless the Latent column is read
        private readonly float[] _logLikelihood;
        private VBuffer<float> _buffer;

        protected FlowBatchScorer(DataViewRow inputRow, DataViewSchema.Column inputColumn, int dimensions, bool latentActive, int capacity)
            : base(capacity)
        {
            _input = inputRow.GetGetter<VBuffer<float>>(inputColumn);
            ColumnName = inputColumn.Name;
            Dimensions = dimensions;
            _latentActive = latentActive;
            Inputs = new float[(long)capacity * dimensions];
            _latent = latentActive ? new float[(long)capacity * dimensions] : null;
            _logLikelihood = new float[capacity];
        }

        /// <summary>Values per input row (and per latent).</summary>
        protected int Dimensions { get; }

        /// <summary>The batch's input rows, row-major [Capacity, Dimensions], after <see cref="CheckRow"/>.</summary>
        protected float[] Inputs { get; }

        /// <summary>The input column's name, for error messages.</summary>
        protected string ColumnName { get; }

        /// <summary>The shape of one input row as the network takes it ([d] for vectors, [C, H, W] for images).</summary>
        protected abstract long[] RowShape { get; }

        /// <summary>Where the network lives.</summary>
        protected abstract Device Device { get; }

        /// <summary>z and log p(x) per row of a batch [n, RowShape...].</summary>
        protected abstract (Tensor z, Tensor logLikelihood) Encode(Tensor batch);

        /// <summary>The family's check (and conversion, in place) of a row whose length and finiteness are already checked.</summary>
        protected virtual void CheckRow(Span<float> row, long rowPosition) { }

        /// <summary>log p(x) of the row in <paramref name="slot"/>: finite, or -Infinity, never NaN.</summary>
        protected float LogLikelihoodAt(int slot) => _logLikelihood[slot];

        protected sealed override void ReadInput(int slot, long rowPosition)
        {
            _input(ref _buffer);
            var row = Inputs.AsSpan(slot * Dimensions, Dimensions);
            VectorColumn.CopyChecked(_buffer, row, ColumnName, rowPosition);
            CheckRow(row, rowPosition);
        }

        protected sealed override void ScoreSlots(int count)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (z, logLikelihood) = Encode(BatchTensor(Inputs, RowShape, count, Device));
            if (_latentActive)
                z.cpu().contiguous().data<float>().CopyTo(_latent.AsSpan(0, count * Dimensions));
            logLikelihood.cpu().data<float>().CopyTo(_logLikelihood.AsSpan(0, count));
            ReplaceNaNByNegativeInfinity(_logLikelihood.AsSpan(0, count));
        }

        /// <summary>Score = -log p(x).</summary>
        protected ValueGetter<float> ScoreGetter(Func<int> slot) => (ref float v) => v = -_logLikelihood[slot()];

        /// <summary>LogLikelihood = log p(x).</summary>
        protected ValueGetter<float> LogLikelihoodGetter(Func<int> slot) => (ref float v) => v = _logLikelihood[slot()];

        /// <summary>Latent = z = f(x).</summary>
        protected ValueGetter<VBuffer<float>> LatentGetter(Func<int> slot)
        {
            if (!_latentActive) throw new InvalidOperationException("The Latent column was not requested from this cursor.");
            return (ref VBuffer<float> v) =>
            {
                var editor = VBufferEditor.Create(ref v, Dimensions);
                _latent.AsSpan(slot() * Dimensions, Dimensions).CopyTo(editor.Values);
                v = editor.Commit();
            };
        }
    }
}
