using System;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Scores batches of images with one forward pass of the flow, each pixel at the centre of its bin (level + 1/2), so
    /// scores are deterministic. Outputs, by index: 0 Score (-log p), 1 LogLikelihood (log p), 2 BitsPerDimension, 3 Latent,
    /// 4 ComplexityScore, 5 TypicalityScore (only for models with a typicality reference).
    /// </summary>
    internal sealed class RealNvpImageBatchScorer : RowBatchScorer
    {
        public const int ScoreIndex = 0, LogLikelihoodIndex = 1, BitsPerDimensionIndex = 2, LatentIndex = 3, ComplexityScoreIndex = 4, TypicalityScoreIndex = 5;

        private readonly RealNvpImageModel _model;
        private readonly ValueGetter<VBuffer<float>> _input;
        private readonly string _columnName;
        private readonly int _d;
        private readonly bool _latentActive;
        private readonly float[] _pixels;
        private readonly float[] _latent;
        private readonly float[] _logLikelihood;
        private readonly double _bitsPerNat;
        private InputComplexity _complexity; // created when ComplexityScore is first read
        private VBuffer<float> _buffer;

        public RealNvpImageBatchScorer(RealNvpImageModel model, DataViewRow inputRow, DataViewSchema.Column inputColumn, bool latentActive, int capacity)
            : base(capacity)
        {
            _model = model;
            _input = inputRow.GetGetter<VBuffer<float>>(inputColumn);
            _columnName = inputColumn.Name;
            _d = model.Dimensions;
            _latentActive = latentActive;
            _pixels = new float[(long)capacity * _d];
            _latent = latentActive ? new float[(long)capacity * _d] : null;
            _logLikelihood = new float[capacity];
            _bitsPerNat = BitsPerDimension.PerNat(_d);
        }

        protected override void ReadInput(int slot, long rowPosition)
        {
            _input(ref _buffer);
            var row = _pixels.AsSpan(slot * _d, _d);
            VectorColumn.CopyChecked(_buffer, row, _columnName, rowPosition);
            _model.Pixels.CheckAndConvert(row, _columnName, rowPosition);
        }

        protected override void ScoreSlots(int count)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var a = _model.Architecture;
            var x = tensor(_pixels, new long[] { Capacity, a.Channels, a.Height, a.Width });
            if (count < Capacity) x = x.narrow(0, 0, count);
            if (_model.Device.type != DeviceType.CPU) x = x.to(_model.Device);
            var (z, logLikelihood) = _model.Network.Encode(x + 0.5f);
            if (_latentActive)
                z.cpu().contiguous().data<float>().CopyTo(_latent.AsSpan(0, count * _d));
            logLikelihood.cpu().data<float>().CopyTo(_logLikelihood.AsSpan(0, count));
            for (int i = 0; i < count; i++)
                if (float.IsNaN(_logLikelihood[i]))
                    _logLikelihood[i] = float.NegativeInfinity; // never NaN: see RealNvpImageTransformer
        }

        public override Delegate MakeOutputGetter(int outputIndex, Func<int> slot)
        {
            switch (outputIndex)
            {
                case ScoreIndex:
                    return (ValueGetter<float>)((ref float v) => v = -_logLikelihood[slot()]);
                case LogLikelihoodIndex:
                    return (ValueGetter<float>)((ref float v) => v = _logLikelihood[slot()]);
                case BitsPerDimensionIndex:
                    return (ValueGetter<float>)((ref float v) => v = (float)BitsPerDimensionAt(slot()));
                case ComplexityScoreIndex:
                    return (ValueGetter<float>)((ref float v) =>
                    {
                        int s = slot();
                        _complexity ??= new InputComplexity(_d, _model.Pixels.ModelLevels);
                        v = (float)(BitsPerDimensionAt(s) - _complexity.BitsPerDimension(_pixels.AsSpan(s * _d, _d)));
                    });
                case TypicalityScoreIndex:
                    if (_model.Typicality is not { } typicality) throw new InvalidOperationException("This model has no typicality reference.");
                    return (ValueGetter<float>)((ref float v) => v = typicality.Score((float)BitsPerDimensionAt(slot())));
                case LatentIndex:
                    if (!_latentActive) throw new InvalidOperationException("The Latent column was not requested from this cursor.");
                    return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                    {
                        var editor = VBufferEditor.Create(ref v, _d);
                        _latent.AsSpan(slot() * _d, _d).CopyTo(editor.Values);
                        v = editor.Commit();
                    });
                default:
                    throw new ArgumentOutOfRangeException(nameof(outputIndex));
            }
        }

        /// <summary>Bits/dim of the image in batch slot <paramref name="slot"/>: the one definition behind BitsPerDimension, ComplexityScore and TypicalityScore.</summary>
        private double BitsPerDimensionAt(int slot) => -_logLikelihood[slot] * _bitsPerNat;
    }
}
