using System;
using System.IO;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Generative.Sequence;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The saved form of a char-RNN model (format 2), inside a <see cref="Persistence.ModelContainer"/>: architecture, vocabulary,
    /// column names and mode, scoring settings, training summaries, then the state dict of the forward network and,
    /// when bidirectional, of the backward one; format 2 appends the reading order (format 1 models read first to last).
    /// </summary>
    internal sealed class CharRnnModelSerializer : ModelSerializer<CharRnnModel>
    {
        /// <summary>Names the loader in model zips; never changes.</summary>
        public const string LoaderSignatureName = "GenerativeCharRnn";

        public static readonly CharRnnModelSerializer Instance = new CharRnnModelSerializer();

        private CharRnnModelSerializer() : base(kind: "CharRnn", currentVersion: 2, modelSignature: "GENCRNN ", loaderSignature: LoaderSignatureName) { }

        protected override void Write(BinaryWriter w, CharRnnModel model)
        {
            var a = model.Forward.Architecture;
            w.Write(a.VocabularySize);
            w.Write(a.EmbeddingSize);
            w.Write(a.HiddenSize);
            w.Write(a.Layers);
            w.Write((int)a.CellType);
            w.Write(a.Dropout);
            w.Write((int)a.InitialState);
            w.Write(a.ConditionSize);
            w.Write(model.Vocabulary.CodePoints.Count);
            foreach (int c in model.Vocabulary.CodePoints) w.Write(c);
            w.Write(model.TextColumnName);
            w.Write(model.ConditionColumnName != null);
            w.Write(model.ConditionColumnName ?? "");
            w.Write((int)model.ContextMode);
            w.Write(model.ScoringBatchSize);
            TrainingSummarySerializer.Write(w, model.TrainingSummary);
            WriteNetwork(w, model.Forward);
            w.Write(model.Backward != null);
            if (model.Backward != null)
            {
                TrainingSummarySerializer.Write(w, model.BackwardTrainingSummary);
                WriteNetwork(w, model.Backward);
            }
            w.Write((int)model.ReadingOrder);
        }

        protected override CharRnnModel Read(BinaryReader r, int version)
        {
            var architecture = new CharRnnArchitecture
            {
                VocabularySize = r.ReadInt32(),
                EmbeddingSize = r.ReadInt32(),
                HiddenSize = r.ReadInt32(),
                Layers = r.ReadInt32(),
                CellType = (CharRnnCellType)r.ReadInt32(),
                Dropout = r.ReadSingle(),
                InitialState = (CharRnnInitialState)r.ReadInt32(),
                ConditionSize = r.ReadInt32(),
            };
            architecture.Validate();
            int characters = r.ReadInt32();
            if (characters < 0 || characters + 2 != architecture.VocabularySize)
                throw new InvalidDataException("The saved vocabulary does not match the network's output size.");
            var codePoints = new int[characters];
            for (int i = 0; i < characters; i++) codePoints[i] = r.ReadInt32();
            var vocabulary = new CharVocabulary(codePoints);
            string textColumn = r.ReadString();
            bool hasCondition = r.ReadBoolean();
            string conditionColumn = r.ReadString();
            var mode = (CharRnnContextMode)r.ReadInt32();
            if (!Enum.IsDefined(mode)) throw new InvalidDataException($"Invalid context mode {(int)mode}.");
            int scoringBatchSize = r.ReadInt32();
            var summary = TrainingSummarySerializer.Read(r);
            CharRnnNetwork forward = null, backward = null;
            try
            {
                forward = ReadNetwork(r, () => new CharRnnNetwork(architecture));
                TrainingSummary backwardSummary = null;
                if (r.ReadBoolean())
                {
                    backwardSummary = TrainingSummarySerializer.Read(r);
                    backward = ReadNetwork(r, () => new CharRnnNetwork(architecture));
                }
                var readingOrder = version >= 2 ? (CharRnnReadingOrder)r.ReadInt32() : CharRnnReadingOrder.FirstToLast;
                if (!Enum.IsDefined(readingOrder)) throw new InvalidDataException($"Invalid reading order {(int)readingOrder}.");
                return new CharRnnModel(forward, backward, vocabulary, textColumn, hasCondition ? conditionColumn : null, mode, readingOrder,
                    Math.Max(1, scoringBatchSize), summary, backwardSummary, CPU);
            }
            catch
            {
                forward?.Dispose();
                backward?.Dispose();
                throw;
            }
        }
    }
}
