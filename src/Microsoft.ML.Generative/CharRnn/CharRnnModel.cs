using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Generative.Sequence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Everything a trained char-RNN transformer holds: the network(s), the vocabulary and what ML.NET needs around them.</summary>
    internal sealed class CharRnnModel : TrainedModel
    {
        /// <summary>Time steps per network call when scoring: long rows are read in chunks of this many characters.</summary>
        public const int ScoringChunkLength = 512;

        public CharRnnModel(CharRnnNetwork forward, CharRnnNetwork backward, CharVocabulary vocabulary, string textColumnName,
            string conditionColumnName, CharRnnContextMode contextMode, CharRnnReadingOrder readingOrder, int scoringBatchSize,
            TrainingSummary trainingSummary, TrainingSummary backwardTrainingSummary, Device device)
            : base(trainingSummary, scoringBatchSize, device)
        {
            Forward = forward;
            Backward = backward;
            Vocabulary = vocabulary;
            TextColumnName = textColumnName;
            ConditionColumnName = conditionColumnName;
            ContextMode = contextMode;
            ReadingOrder = readingOrder;
            BackwardTrainingSummary = backwardTrainingSummary;
            Forward.eval();
            Backward?.eval();
            OutputColumns = CharRnnTransformer.Outputs.Select(c => c.WithSize(EmbeddingColumnSize)).ToArray();
        }

        /// <summary>The model of the rows read in <see cref="ReadingOrder"/>: likelihoods, generation and the first half of the embedding.</summary>
        public CharRnnNetwork Forward { get; }
        /// <summary>The model of the rows read in the opposite order (bidirectional embeddings), or null.</summary>
        public CharRnnNetwork Backward { get; }
        public CharVocabulary Vocabulary { get; }
        public string TextColumnName { get; }
        public string ConditionColumnName { get; }
        public int ConditionSize => Forward.Architecture.ConditionSize;
        public CharRnnContextMode ContextMode { get; }
        public CharRnnReadingOrder ReadingOrder { get; }
        public TrainingSummary BackwardTrainingSummary { get; }
        /// <summary>Size of the Embedding column: the top hidden state of each network.</summary>
        public int EmbeddingColumnSize => Forward.Architecture.HiddenSize + (Backward?.Architecture.HiddenSize ?? 0);

        /// <summary>Ids of a text, and how many of its characters were unknown.</summary>
        public int[] Encode(string text, out int unknown)
        {
            var ids = new List<int>(text.Length);
            unknown = Vocabulary.Encode(text, ids);
            return ids.ToArray();
        }

        /// <summary>
        /// The symbols in the order <see cref="Forward"/> reads them: as they are, or reversed in place for
        /// <see cref="CharRnnReadingOrder.LastToFirst"/>. Returns <paramref name="ids"/>.
        /// </summary>
        public int[] InReadingOrder(int[] ids)
        {
            if (ReadingOrder == CharRnnReadingOrder.LastToFirst) Array.Reverse(ids);
            return ids;
        }

        public override IModelSerializer Serializer => CharRnnModelSerializer.Instance;

        public override IReadOnlyList<ScoredColumn> OutputColumns { get; }

        public override IReadOnlyList<DataViewSchema.Column> CheckInputSchema(DataViewSchema schema)
        {
            var text = TextColumn.Check(schema, TextColumnName);
            if (ConditionColumnName is null) return new[] { text };
            return new[] { text, VectorColumn.Check(schema, ConditionColumnName, ConditionSize).column };
        }

        public override RowBatchScorer CreateScorer(DataViewRow inputRow, IReadOnlyList<DataViewSchema.Column> inputColumns, bool[] activeOutputs, int capacity)
            => new CharRnnBatchScorer(this, inputRow, inputColumns, capacity, activeOutputs[CharRnnBatchScorer.EmbeddingIndex]);

        public override void Dispose()
        {
            Forward.Dispose();
            Backward?.Dispose();
        }
    }
}
