using Microsoft.ML.Data;
using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// The lazy IDataView a transformer's Transform returns: the input's columns plus the model's outputs, scored
    /// in batches. Its cursor reads pass-through columns from one cursor on the source and the model's input columns
    /// from a second, look-ahead cursor on the same source (cursoring is repeatable by the IDataView contract), so
    /// the model is called once per batch rather than once per row, and no input column has to be buffered.
    /// </summary>
    internal sealed class BatchScoringDataView : IDataView
    {
        private readonly IDataView _source;
        private readonly IBatchScoringModel _model;
        private readonly IReadOnlyList<DataViewSchema.Column> _inputColumns;

        public BatchScoringDataView(IDataView source, IBatchScoringModel model)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _model = model;
            _inputColumns = model.CheckInputSchema(source.Schema);
            Schema = ScoredSchema.Build(source.Schema, model.OutputColumns);
        }

        public DataViewSchema Schema { get; }

        /// <summary>
        /// False: rows are served in the source's order. Shuffling both cursors identically cannot be guaranteed for
        /// every source, and a misaligned look-ahead would silently pair rows with the wrong scores.
        /// </summary>
        public bool CanShuffle => false;

        public long? GetRowCount() => _source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random rand = null)
        {
            int inputCount = _source.Schema.Count;
            var needed = (columnsNeeded ?? Enumerable.Empty<DataViewSchema.Column>()).Select(c => c.Index).ToHashSet();
            var activeOutputs = new bool[_model.OutputColumns.Count];
            for (int k = 0; k < activeOutputs.Length; k++)
                activeOutputs[k] = needed.Contains(inputCount + k);
            var passThrough = _source.Schema.Where(c => needed.Contains(c.Index));
            var main = _source.GetRowCursor(passThrough);
            if (!activeOutputs.Any(a => a))
                return new BatchScoringCursor(this, main, null, null, activeOutputs);

            var lookAhead = _source.GetRowCursor(_inputColumns);
            var scorer = _model.CreateScorer(lookAhead, _inputColumns, activeOutputs, _model.ScoringBatchSize);
            return new BatchScoringCursor(this, main, lookAhead, scorer, activeOutputs);
        }

        /// <summary>One cursor: the look-ahead design scores in batches within a cursor, not across cursors.</summary>
        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random rand = null)
            => new[] { GetRowCursor(columnsNeeded, rand) };

        private sealed class BatchScoringCursor : DataViewRowCursor
        {
            private readonly BatchScoringDataView _parent;
            private readonly DataViewRowCursor _main;
            private readonly DataViewRowCursor _lookAhead;
            private readonly RowBatchScorer _scorer;
            private readonly bool[] _activeOutputs;
            private readonly int _inputCount;
            private int _slot = -1;
            private bool _disposed;

            public BatchScoringCursor(BatchScoringDataView parent, DataViewRowCursor main, DataViewRowCursor lookAhead, RowBatchScorer scorer, bool[] activeOutputs)
            {
                _parent = parent;
                _main = main;
                _lookAhead = lookAhead;
                _scorer = scorer;
                _activeOutputs = activeOutputs;
                _inputCount = parent._source.Schema.Count;
            }

            public override DataViewSchema Schema => _parent.Schema;
            public override long Position => _main.Position;
            public override long Batch => _main.Batch;
            public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column)
                => column.Index < _inputCount ? _main.IsColumnActive(_parent._source.Schema[column.Index]) : _activeOutputs[column.Index - _inputCount];

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                if (column.Index < _inputCount)
                    return _main.GetGetter<TValue>(_parent._source.Schema[column.Index]);
                int k = column.Index - _inputCount;
                if (k >= _activeOutputs.Length || !_activeOutputs[k])
                    throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
                if (_scorer.MakeOutputGetter(k, CurrentSlot) is ValueGetter<TValue> getter)
                    return getter;
                throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue).Name}.");
            }

            private int CurrentSlot()
            {
                if (_slot < 0) throw new InvalidOperationException("The cursor is not positioned on a row.");
                return _slot;
            }

            public override bool MoveNext()
            {
                if (_disposed || !_main.MoveNext())
                {
                    _slot = -1;
                    return false;
                }
                if (_scorer == null) return true;
                _slot++;
                if (_slot >= _scorer.Count)
                    Refill();
                return true;
            }

            private void Refill()
            {
                _scorer.Clear();
                while (_scorer.Count < _scorer.Capacity && _lookAhead.MoveNext())
                    _scorer.Append(_lookAhead.Position);
                if (_scorer.Count == 0)
                    throw new InvalidOperationException(
                        "The input data view returned fewer rows on a second cursor than on the first. Scoring needs a source whose cursors return the same rows in the same order (the IDataView contract); cache the data (ml.Data.Cache) if its source is not repeatable.");
                _scorer.Score();
                _slot = 0;
            }

            protected override void Dispose(bool disposing)
            {
                if (_disposed) return;
                if (disposing)
                {
                    _main.Dispose();
                    _lookAhead?.Dispose();
                    _scorer?.Dispose();
                }
                _disposed = true;
                base.Dispose(disposing);
            }
        }
    }
}
