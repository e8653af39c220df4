using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// The per-row path (PredictionEngine, or a model inside another row-to-row chain): the same scorer with a
    /// batch of one, recomputed only when the input row moves, so reading several outputs of a row costs one call.
    /// </summary>
    internal sealed class BatchScoringRowMapper : IRowToRowMapper
    {
        private readonly IBatchScoringModel _model;
        private readonly IReadOnlyList<DataViewSchema.Column> _inputColumns;

        public BatchScoringRowMapper(DataViewSchema inputSchema, IBatchScoringModel model)
        {
            InputSchema = inputSchema ?? throw new ArgumentNullException(nameof(inputSchema));
            _model = model;
            _inputColumns = model.CheckInputSchema(inputSchema);
            OutputSchema = ScoredSchema.Build(inputSchema, model.OutputColumns);
        }

        public DataViewSchema InputSchema { get; }
        public DataViewSchema OutputSchema { get; }

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var needed = new HashSet<int>();
            foreach (var c in dependingColumns)
            {
                if (c.Index < InputSchema.Count) needed.Add(c.Index);
                else foreach (var input in _inputColumns) needed.Add(input.Index);
            }
            return InputSchema.Where(c => needed.Contains(c.Index)).ToArray();
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            int inputCount = InputSchema.Count;
            var active = new bool[_model.OutputColumns.Count];
            foreach (var c in activeColumns)
                if (c.Index >= inputCount) active[c.Index - inputCount] = true;
            var scorer = active.Any(a => a) ? _model.CreateScorer(input, _inputColumns, active, 1) : null;
            return new ScoredRow(this, input, scorer, active);
        }

        private sealed class ScoredRow : DataViewRow
        {
            private readonly BatchScoringRowMapper _parent;
            private readonly DataViewRow _input;
            private readonly RowBatchScorer _scorer;
            private readonly bool[] _active;
            private long _scoredPosition = -1;

            public ScoredRow(BatchScoringRowMapper parent, DataViewRow input, RowBatchScorer scorer, bool[] active)
            {
                _parent = parent;
                _input = input;
                _scorer = scorer;
                _active = active;
            }

            public override DataViewSchema Schema => _parent.OutputSchema;
            public override long Position => _input.Position;
            public override long Batch => _input.Batch;
            public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column)
                => column.Index < _parent.InputSchema.Count ? _input.IsColumnActive(_parent.InputSchema[column.Index]) : _active[column.Index - _parent.InputSchema.Count];

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                int inputCount = _parent.InputSchema.Count;
                if (column.Index < inputCount)
                    return _input.GetGetter<TValue>(_parent.InputSchema[column.Index]);
                int k = column.Index - inputCount;
                if (!_active[k])
                    throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
                if (_scorer.MakeOutputGetter(k, EnsureScored) is ValueGetter<TValue> getter)
                    return getter;
                throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue).Name}.");
            }

            private int EnsureScored()
            {
                // PredictionEngine advances Position for every new example; recompute only then.
                if (_scoredPosition != _input.Position || _scoredPosition < 0)
                {
                    _scorer.Clear();
                    _scorer.Append(_input.Position);
                    _scorer.Score();
                    _scoredPosition = _input.Position;
                }
                return 0;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) _scorer?.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
