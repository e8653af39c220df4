using System;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Scores batches of feature vectors with one forward pass of the flow. Outputs, by index:
    /// 0 Score (-log p), 1 LogLikelihood (log p), 2 Latent (z), 3 PredictedLabel (Score &gt; threshold): the order of
    /// <see cref="RealNvpTransformer.Outputs"/>.
    /// </summary>
    internal sealed class RealNvpBatchScorer : FlowBatchScorer
    {
        public const int ScoreIndex = 0, LogLikelihoodIndex = 1, LatentIndex = 2, PredictedLabelIndex = 3;

        private readonly RealNvpModel _model;

        public RealNvpBatchScorer(RealNvpModel model, DataViewRow inputRow, DataViewSchema.Column inputColumn, bool latentActive, int capacity)
            : base(inputRow, inputColumn, model.Features, latentActive, capacity)
            => _model = model;

        protected override long[] RowShape => new long[] { Dimensions };
        protected override Device Device => _model.Device;
        protected override (Tensor z, Tensor logLikelihood) Encode(Tensor batch) => _model.Network.Encode(batch);

        public override Delegate MakeOutputGetter(int outputIndex, Func<int> slot) => outputIndex switch
        {
            ScoreIndex => ScoreGetter(slot),
            LogLikelihoodIndex => LogLikelihoodGetter(slot),
            LatentIndex => LatentGetter(slot),
            PredictedLabelIndex => (ValueGetter<bool>)((ref bool v) => v = -LogLikelihoodAt(slot()) > _model.Threshold),
            _ => throw new ArgumentOutOfRangeException(nameof(outputIndex)),
        };
    }
}
