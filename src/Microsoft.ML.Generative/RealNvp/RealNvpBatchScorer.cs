using System;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Scores batches of feature vectors with one forward pass of the flow. Outputs, by index:
    /// 0 Score (-log p), 1 LogLikelihood (log p), 2 Latent (z), 3 PredictedLabel (Score &gt; threshold): the order of
    /// <see cref="RealNvpTransformer.Outputs"/>.
    /// </summary>
    internal sealed class RealNvpBatchScorer : RowBatchScorer
    {
        public const int ScoreIndex = 0, LogLikelihoodIndex = 1, LatentIndex = 2, PredictedLabelIndex = 3;

        private readonly RealNvpModel _model;
        private readonly ValueGetter<VBuffer<float>> _input;
        private readonly string _columnName;
        private readonly int _d;
        private readonly float[] _features;
        private readonly float[] _latent;
        private readonly float[] _logLikelihood;
        private VBuffer<float> _buffer;

        public RealNvpBatchScorer(RealNvpModel model, DataViewRow inputRow, DataViewSchema.Column inputColumn, int capacity) : base(capacity)
        {
            _model = model;
            _input = inputRow.GetGetter<VBuffer<float>>(inputColumn);
            _columnName = inputColumn.Name;
            _d = model.Features;
            _features = new float[capacity * _d];
            _latent = new float[capacity * _d];
            _logLikelihood = new float[capacity];
        }

        protected override void ReadInput(int slot, long rowPosition)
        {
            _input(ref _buffer);
            VectorColumn.CopyChecked(_buffer, _features.AsSpan(slot * _d, _d), _columnName, rowPosition);
        }

        protected override void ScoreSlots(int count)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(_features, new long[] { Capacity, _d });
            if (count < Capacity) x = x.narrow(0, 0, count);
            if (_model.Device.type != DeviceType.CPU) x = x.to(_model.Device);
            var (z, logLikelihood) = _model.Network.Encode(x);
            z.cpu().contiguous().data<float>().CopyTo(_latent.AsSpan(0, count * _d));
            logLikelihood.cpu().data<float>().CopyTo(_logLikelihood.AsSpan(0, count));
            for (int i = 0; i < count; i++)
            {
                // Only inputs far outside the training range overflow float32 (inf - inf = NaN inside the flow);
                // such a row is reported as infinitely unlikely, never as NaN (documented on RealNvpTransformer).
                if (float.IsNaN(_logLikelihood[i]))
                    _logLikelihood[i] = float.NegativeInfinity;
            }
        }

        public override Delegate MakeOutputGetter(int outputIndex, Func<int> slot)
        {
            switch (outputIndex)
            {
                case ScoreIndex:
                    return (ValueGetter<float>)((ref float v) => v = -_logLikelihood[slot()]);
                case LogLikelihoodIndex:
                    return (ValueGetter<float>)((ref float v) => v = _logLikelihood[slot()]);
                case LatentIndex:
                    return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                    {
                        var editor = VBufferEditor.Create(ref v, _d);
                        _latent.AsSpan(slot() * _d, _d).CopyTo(editor.Values);
                        v = editor.Commit();
                    });
                case PredictedLabelIndex:
                    return (ValueGetter<bool>)((ref bool v) => v = -_logLikelihood[slot()] > _model.Threshold);
                default:
                    throw new ArgumentOutOfRangeException(nameof(outputIndex));
            }
        }
    }
}
