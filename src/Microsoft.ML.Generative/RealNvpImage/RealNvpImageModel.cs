using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Everything a trained image Real NVP transformer holds: the network and what ML.NET needs around it.</summary>
    internal sealed class RealNvpImageModel : TrainedModel
    {
        public RealNvpImageModel(RealNvpImageNetwork network, string featureColumnName, int inputLevels, int scoringBatchSize,
            TrainingSummary trainingSummary, Device device, TypicalityReference typicality)
            : base(trainingSummary, scoringBatchSize, device)
        {
            Network = network;
            FeatureColumnName = featureColumnName;
            Pixels = new PixelLevels(inputLevels, network.Levels);
            Typicality = typicality;
            Network.eval();
            // TypicalityScore comes last (RealNvpImageBatchScorer.TypicalityScoreIndex); models saved before it existed lack it.
            OutputColumns = RealNvpImageTransformer.Outputs
                .Where(c => typicality is not null || c.Name != RealNvpImageTransformer.TypicalityScoreColumnName)
                .Select(c => c.WithSize(Dimensions)).ToArray();
        }

        public RealNvpImageNetwork Network { get; }
        public string FeatureColumnName { get; }
        public PixelLevels Pixels { get; }
        public int Dimensions => Network.Dimensions;
        public ImageRealNvpArchitecture Architecture => Network.Architecture;
        /// <summary>Bits/dim statistics of in-distribution images for the TypicalityScore column; null for models saved before it existed (format 1).</summary>
        public TypicalityReference Typicality { get; }

        public override IModelSerializer Serializer => RealNvpImageModelSerializer.Instance;

        public override IReadOnlyList<ScoredColumn> OutputColumns { get; }

        public override IReadOnlyList<DataViewSchema.Column> CheckInputSchema(DataViewSchema schema)
            => new[] { VectorColumn.Check(schema, FeatureColumnName, Dimensions).column };

        public override RowBatchScorer CreateScorer(DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, bool[] activeOutputs, int capacity)
            => new RealNvpImageBatchScorer(this, inputRow, inputColumns[0], activeOutputs[RealNvpImageBatchScorer.LatentIndex], capacity);

        public override void Dispose() => Network.Dispose();
    }
}
