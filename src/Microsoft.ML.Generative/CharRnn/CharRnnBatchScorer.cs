using System;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Sequence;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Scores batches of text rows. Outputs, by index: 0 LogLikelihood, 1 Score (mean NLL per character, end of row
    /// included), 2 BitsPerCharacter, 3 Embedding.
    /// </summary>
    internal sealed class CharRnnBatchScorer : RowBatchScorer
    {
        public const int LogLikelihoodIndex = 0, ScoreIndex = 1, BitsPerCharacterIndex = 2, EmbeddingIndex = 3;

        private readonly CharRnnModel _model;
        private readonly ValueGetter<ReadOnlyMemory<char>> _text;
        private readonly ValueGetter<VBuffer<float>> _condition;
        private readonly string _conditionName;
        private readonly int[][] _rows;
        private readonly float[] _conditions;
        private readonly double[] _logLikelihood;
        private readonly float[] _forwardHidden;
        private readonly float[] _backwardHidden;
        private readonly bool _embeddingActive;
        private ReadOnlyMemory<char> _value;
        private VBuffer<float> _vector;

        public CharRnnBatchScorer(CharRnnModel model, DataViewRow inputRow, System.Collections.Generic.IReadOnlyList<DataViewSchema.Column> inputColumns, int capacity, bool embeddingActive)
            : base(capacity)
        {
            _model = model;
            _text = inputRow.GetGetter<ReadOnlyMemory<char>>(inputColumns[0]);
            if (inputColumns.Count > 1)
            {
                _condition = inputRow.GetGetter<VBuffer<float>>(inputColumns[1]);
                _conditionName = inputColumns[1].Name;
                _conditions = new float[capacity * model.ConditionSize];
            }
            _rows = new int[capacity][];
            _logLikelihood = new double[capacity];
            _embeddingActive = embeddingActive;
            if (embeddingActive)
            {
                _forwardHidden = new float[capacity * model.Forward.Architecture.HiddenSize];
                if (model.Backward != null) _backwardHidden = new float[capacity * model.Backward.Architecture.HiddenSize];
            }
        }

        protected override void ReadInput(int slot, long rowPosition)
        {
            _text(ref _value);
            _rows[slot] = _model.InReadingOrder(_model.Encode(_value.ToString(), out _));
            if (_condition != null)
            {
                _condition(ref _vector);
                int size = _model.ConditionSize;
                VectorColumn.CopyChecked(_vector, _conditions.AsSpan(slot * size, size), _conditionName, rowPosition);
            }
        }

        protected override void ScoreSlots(int count)
        {
            var rows = new ArraySegment<int[]>(_rows, 0, count);
            float[] conditions = _conditions is null ? null : _conditions.AsSpan(0, count * _model.ConditionSize).ToArray();
            RowLikelihood.Score(_model.Forward, rows, conditions, CharRnnModel.ScoringChunkLength, _logLikelihood.AsSpan(0, count), _embeddingActive ? _forwardHidden : null);
            if (_embeddingActive && _model.Backward != null)
            {
                var reversed = new int[count][];
                for (int i = 0; i < count; i++)
                {
                    reversed[i] = (int[])_rows[i].Clone();
                    Array.Reverse(reversed[i]);
                }
                RowLikelihood.Score(_model.Backward, reversed, conditions, CharRnnModel.ScoringChunkLength, new double[count], _backwardHidden);
            }
        }

        private float Score(int slot) => (float)(-_logLikelihood[slot] / (_rows[slot].Length + 1));

        public override Delegate MakeOutputGetter(int outputIndex, Func<int> slot)
        {
            switch (outputIndex)
            {
                case LogLikelihoodIndex:
                    return (ValueGetter<float>)((ref float v) => v = (float)_logLikelihood[slot()]);
                case ScoreIndex:
                    return (ValueGetter<float>)((ref float v) => v = Score(slot()));
                case BitsPerCharacterIndex:
                    return (ValueGetter<float>)((ref float v) => v = (float)(Score(slot()) / Math.Log(2)));
                case EmbeddingIndex:
                    if (!_embeddingActive) throw new InvalidOperationException("The Embedding column was not requested from this cursor.");
                    return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                    {
                        int s = slot();
                        int hf = _model.Forward.Architecture.HiddenSize;
                        var editor = VBufferEditor.Create(ref v, _model.EmbeddingColumnSize);
                        _forwardHidden.AsSpan(s * hf, hf).CopyTo(editor.Values);
                        if (_backwardHidden != null)
                        {
                            int hb = _model.Backward.Architecture.HiddenSize;
                            _backwardHidden.AsSpan(s * hb, hb).CopyTo(editor.Values.Slice(hf));
                        }
                        v = editor.Commit();
                    });
                default:
                    throw new ArgumentOutOfRangeException(nameof(outputIndex));
            }
        }
    }
}
