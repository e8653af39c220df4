using System;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Numerics;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Scores batches of images with one forward pass of the flow, each pixel at the centre of its bin (level + 1/2), so
    /// scores are deterministic. Outputs, by index: 0 Score (-log p), 1 LogLikelihood (log p), 2 BitsPerDimension, 3 Latent,
    /// 4 ComplexityScore, 5 TypicalityScore (only for models with a typicality reference): the order of
    /// <see cref="RealNvpImageTransformer.Outputs"/>.
    /// </summary>
    internal sealed class RealNvpImageBatchScorer : FlowBatchScorer
    {
        public const int ScoreIndex = 0, LogLikelihoodIndex = 1, BitsPerDimensionIndex = 2, LatentIndex = 3, ComplexityScoreIndex = 4, TypicalityScoreIndex = 5;

        private readonly RealNvpImageModel _model;
        private readonly double _bitsPerNat;
        private readonly ImageOutOfDistributionScores _outOfDistribution;

        public RealNvpImageBatchScorer(RealNvpImageModel model, DataViewRow inputRow, DataViewSchema.Column inputColumn, bool latentActive, int capacity)
            : base(inputRow, inputColumn, model.Dimensions, latentActive, capacity)
        {
            _model = model;
            _bitsPerNat = BitsPerDimension.PerNat(Dimensions);
            _outOfDistribution = new ImageOutOfDistributionScores(Dimensions, model.Pixels.ModelLevels, model.Typicality);
        }

        protected override long[] RowShape => new long[] { _model.Architecture.Channels, _model.Architecture.Height, _model.Architecture.Width };
        protected override Device Device => _model.Device;
        protected override (Tensor z, Tensor logLikelihood) Encode(Tensor batch) => _model.Network.Encode(batch + 0.5f);
        protected override void CheckRow(Span<float> row, long rowPosition) => _model.Pixels.CheckAndConvert(row, ColumnName, rowPosition);

        public override Delegate MakeOutputGetter(int outputIndex, Func<int> slot)
        {
            switch (outputIndex)
            {
                case ScoreIndex: return ScoreGetter(slot);
                case LogLikelihoodIndex: return LogLikelihoodGetter(slot);
                case LatentIndex: return LatentGetter(slot);
                case BitsPerDimensionIndex:
                    return (ValueGetter<float>)((ref float v) => v = (float)BitsPerDimensionAt(slot()));
                case ComplexityScoreIndex:
                    return (ValueGetter<float>)((ref float v) =>
                    {
                        int s = slot();
                        v = _outOfDistribution.Complexity(BitsPerDimensionAt(s), Inputs.AsSpan(s * Dimensions, Dimensions));
                    });
                case TypicalityScoreIndex:
                    return (ValueGetter<float>)((ref float v) => v = _outOfDistribution.Typicality(BitsPerDimensionAt(slot())));
                default:
                    throw new ArgumentOutOfRangeException(nameof(outputIndex));
            }
        }

        /// <summary>Bits/dim of the image in batch slot <paramref name="slot"/>: the one definition behind BitsPerDimension, ComplexityScore and TypicalityScore.</summary>
        private double BitsPerDimensionAt(int slot) => -LogLikelihoodAt(slot) * _bitsPerNat;
    }
}
