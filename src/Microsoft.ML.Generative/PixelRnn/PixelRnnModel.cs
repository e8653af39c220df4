using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.PixelModels;
using Microsoft.ML.Generative.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Everything a trained Pixel RNN transformer holds: the network and what ML.NET needs around it.</summary>
    internal sealed class PixelRnnModel : TrainedModel
    {
        public PixelRnnModel(PixelNetwork network, string featureColumnName, string labelColumnName, bool labelIsKey, int inputLevels,
            int scoringBatchSize, TrainingSummary trainingSummary, Device device, TypicalityReference typicality)
            : base(trainingSummary, scoringBatchSize, device)
        {
            if ((labelColumnName is null) != (network.Architecture.Classes == 0))
                throw new ArgumentException("A class-conditional network needs a label column, and only it.", nameof(labelColumnName));
            Network = network;
            FeatureColumnName = featureColumnName;
            LabelColumnName = labelColumnName;
            LabelIsKey = labelIsKey;
            Pixels = new PixelLevels(inputLevels, network.Architecture.Levels);
            Typicality = typicality;
            Network.eval();
            OutputColumns = PixelRnnTransformer.Outputs
                .Where(c => typicality is not null || c.Name != PixelRnnTransformer.TypicalityScoreColumnName)
                .Select(c => c.WithSize()).ToArray();
        }

        public PixelNetwork Network { get; }
        public PixelArchitecture Architecture => Network.Architecture;
        public int Dimensions => Architecture.Dimensions;
        public string FeatureColumnName { get; }

        /// <summary>The class label column of a class-conditional model; null for an unconditional one.</summary>
        public string LabelColumnName { get; }

        /// <summary>Whether the label column was a key type (else integer class ids).</summary>
        public bool LabelIsKey { get; }

        public PixelLevels Pixels { get; }

        /// <summary>Bits/dim statistics of in-distribution images for TypicalityScore; null when Fit could not measure them.</summary>
        public TypicalityReference Typicality { get; }

        public override IModelSerializer Serializer => PixelRnnModelSerializer.Instance;

        public override IReadOnlyList<ScoredColumn> OutputColumns { get; }

        public override IReadOnlyList<DataViewSchema.Column> CheckInputSchema(DataViewSchema schema)
        {
            var pixels = VectorColumn.Check(schema, FeatureColumnName, Dimensions).column;
            if (LabelColumnName is null) return new[] { pixels };
            var label = ClassLabelColumn.Check(schema, LabelColumnName);
            if (LabelIsKey && label.KeyCount != (ulong)Architecture.Classes)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{LabelColumnName}' has type {label.Column.Type}; the model was trained on a key type with {Architecture.Classes} values.");
            if (!LabelIsKey && label.KeyCount is not null)
                throw new ArgumentOutOfRangeException(nameof(schema), $"Label column '{LabelColumnName}' is a key type; the model was trained on integer class ids 0 to {Architecture.Classes - 1}.");
            return new[] { pixels, label.Column };
        }

        public override RowBatchScorer CreateScorer(DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, bool[] activeOutputs, int capacity)
            => new PixelRnnBatchScorer(this, inputRow, inputColumns, capacity);

        public override void Dispose() => Network.Dispose();
    }
}
