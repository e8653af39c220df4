using System;
using System.Collections.Generic;
using Microsoft.ML.Generative.Sequence;
using Microsoft.ML.Generative.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Everything a trained char-RNN transformer holds: the network(s), the vocabulary and what ML.NET needs around them.</summary>
    internal sealed class CharRnnModel : IDisposable
    {
        /// <summary>Time steps per network call when scoring: long rows are read in chunks of this many characters.</summary>
        public const int ScoringChunkLength = 512;

        public CharRnnModel(CharRnnNetwork forward, CharRnnNetwork backward, CharVocabulary vocabulary, string textColumnName,
            string conditionColumnName, CharRnnContextMode contextMode, CharRnnReadingOrder readingOrder, int scoringBatchSize,
            TrainingSummary trainingSummary, TrainingSummary backwardTrainingSummary, Device device)
        {
            Forward = forward;
            Backward = backward;
            Vocabulary = vocabulary;
            TextColumnName = textColumnName;
            ConditionColumnName = conditionColumnName;
            ContextMode = contextMode;
            ReadingOrder = readingOrder;
            ScoringBatchSize = scoringBatchSize;
            TrainingSummary = trainingSummary;
            BackwardTrainingSummary = backwardTrainingSummary;
            Device = device;
            Forward.eval();
            Backward?.eval();
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
        public int ScoringBatchSize { get; }
        public TrainingSummary TrainingSummary { get; }
        public TrainingSummary BackwardTrainingSummary { get; }
        public Device Device { get; }
        public int EmbeddingSize => Forward.Architecture.HiddenSize + (Backward?.Architecture.HiddenSize ?? 0);

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

        public void Dispose()
        {
            Forward.Dispose();
            Backward?.Dispose();
        }
    }
}
