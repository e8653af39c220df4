using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Everything a trained Real NVP transformer holds: the network and what ML.NET needs around it.</summary>
    internal sealed class RealNvpModel : TrainedModel
    {
        public RealNvpModel(RealNvpNetwork network, string featureColumnName, float threshold, float anomalyFalsePositiveRate,
            int scoringBatchSize, TrainingSummary trainingSummary, Device device)
            : base(trainingSummary, scoringBatchSize, device)
        {
            Network = network;
            FeatureColumnName = featureColumnName;
            Threshold = threshold;
            AnomalyFalsePositiveRate = anomalyFalsePositiveRate;
            Network.eval();
            OutputColumns = RealNvpTransformer.Outputs.Select(c => c.WithSize(Features)).ToArray(); // Latent has one value per feature
        }

        public RealNvpNetwork Network { get; }
        public string FeatureColumnName { get; }
        public int Features => Network.Architecture.Features;
        public float Threshold { get; }
        public float AnomalyFalsePositiveRate { get; }

        public override IModelSerializer Serializer => RealNvpModelSerializer.Instance;

        public override IReadOnlyList<ScoredColumn> OutputColumns { get; }

        public override IReadOnlyList<DataViewSchema.Column> CheckInputSchema(DataViewSchema schema)
            => new[] { VectorColumn.Check(schema, FeatureColumnName, Features).column };

        public override RowBatchScorer CreateScorer(DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, bool[] activeOutputs, int capacity)
            => new RealNvpBatchScorer(this, inputRow, inputColumns[0], activeOutputs[RealNvpBatchScorer.LatentIndex], capacity);

        public override void Dispose() => Network.Dispose();
    }
}
