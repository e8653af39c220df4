using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Numerics;
using Microsoft.ML.Generative.PixelModels;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Scores batches of images with one pass of the network (every conditional at once). Outputs, by index: 0 Score
    /// (-log p), 1 LogLikelihood (log p), 2 BitsPerDimension, 3 ComplexityScore, 4 TypicalityScore (only for models
    /// with a typicality reference): the order of <see cref="PixelRnnTransformer.Outputs"/>.
    /// </summary>
    internal sealed class PixelRnnBatchScorer : RowBatchScorer
    {
        public const int ScoreIndex = 0, LogLikelihoodIndex = 1, BitsPerDimensionIndex = 2, ComplexityScoreIndex = 3, TypicalityScoreIndex = 4;

        private readonly PixelRnnModel _model;
        private readonly ValueGetter<VBuffer<float>> _pixels;
        private readonly ClassLabelColumn _labelColumn;  // null for an unconditional model
        private readonly Func<long, long> _label;
        private readonly float[] _inputs;                // [capacity, C*H*W] model levels
        private readonly long[] _labels;                 // [capacity] or null
        private readonly float[] _logLikelihood;
        private readonly double _bitsPerNat;
        private readonly int _dimensions;
        private VBuffer<float> _buffer;
        private readonly ImageOutOfDistributionScores _outOfDistribution;

        public PixelRnnBatchScorer(PixelRnnModel model, DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, int capacity)
            : base(capacity)
        {
            _model = model;
            _dimensions = model.Dimensions;
            _pixels = inputRow.GetGetter<VBuffer<float>>(inputColumns[0]);
            if (model.LabelColumnName is not null)
            {
                _labelColumn = ClassLabelColumn.Check(inputRow.Schema, model.LabelColumnName);
                _label = _labelColumn.Reader(inputRow);
                _labels = new long[capacity];
            }
            _inputs = new float[(long)capacity * _dimensions];
            _logLikelihood = new float[capacity];
            _bitsPerNat = BitsPerDimension.PerNat(_dimensions);
            _outOfDistribution = new ImageOutOfDistributionScores(_dimensions, model.Pixels.ModelLevels, model.Typicality);
        }

        protected override void ReadInput(int slot, long rowPosition)
        {
            _pixels(ref _buffer);
            var row = _inputs.AsSpan(slot * _dimensions, _dimensions);
            VectorColumn.CopyChecked(_buffer, row, _model.FeatureColumnName, rowPosition);
            _model.Pixels.CheckAndConvert(row, _model.FeatureColumnName, rowPosition);
            if (_labels is not null)
                _labels[slot] = _labelColumn.Checked(_label(rowPosition), _model.Architecture.Classes, rowPosition);
        }

        protected override void ScoreSlots(int count)
        {
            var a = _model.Architecture;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var images = BatchTensor(_inputs, new long[] { a.Channels, a.Height, a.Width }, count, _model.Device);
            var labels = _labels is null ? null : tensor(_labels.AsSpan(0, count).ToArray()).to(_model.Device);
            var logLikelihood = PixelLikelihood.PerImage(_model.Network.Logits(images, labels), images);
            logLikelihood.cpu().data<float>().CopyTo(_logLikelihood.AsSpan(0, count));
        }

        public override Delegate MakeOutputGetter(int outputIndex, Func<int> slot)
        {
            switch (outputIndex)
            {
                case ScoreIndex: return (ValueGetter<float>)((ref float v) => v = -_logLikelihood[slot()]);
                case LogLikelihoodIndex: return (ValueGetter<float>)((ref float v) => v = _logLikelihood[slot()]);
                case BitsPerDimensionIndex: return (ValueGetter<float>)((ref float v) => v = (float)BitsPerDimensionAt(slot()));
                case ComplexityScoreIndex:
                    return (ValueGetter<float>)((ref float v) =>
                    {
                        int s = slot();
                        v = _outOfDistribution.Complexity(BitsPerDimensionAt(s), _inputs.AsSpan(s * _dimensions, _dimensions));
                    });
                case TypicalityScoreIndex:
                    return (ValueGetter<float>)((ref float v) => v = _outOfDistribution.Typicality(BitsPerDimensionAt(slot())));
                default:
                    throw new ArgumentOutOfRangeException(nameof(outputIndex));
            }
        }

        /// <summary>Bits/dim of the image in batch slot <paramref name="slot"/>: behind BitsPerDimension, ComplexityScore and TypicalityScore.</summary>
        private double BitsPerDimensionAt(int slot) => -_logLikelihood[slot] * _bitsPerNat;
    }
}
