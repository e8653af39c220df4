using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Sequence;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Trains a character-level recurrent language model (LSTM, GRU or tanh RNN) on a text column by maximum
    /// likelihood (truncated backpropagation through time). The fitted <see cref="CharRnnTransformer"/> adds a
    /// per-row log-likelihood, a per-character anomaly score and a hidden-state embedding, and can generate text.
    /// Create it with <c>mlContext.Generative().CharRnn(...)</c>.
    /// </summary>
    public sealed class CharRnnEstimator : GenerativeEstimator<CharRnnTransformer>
    {
        private readonly CharRnnOptions _options;

        internal CharRnnEstimator(IHostEnvironment env, CharRnnOptions options) : base(env, options, "Training char-RNN", CharRnnTransformer.Outputs)
            => _options = options;

        private protected override void CheckInputShape(SchemaShape inputSchema)
        {
            InputShape.Text(inputSchema, _options.TextColumnName);
            if (_options.ConditionColumnName is string condition)
                InputShape.FloatVector(inputSchema, condition, "conditioning values");
        }

        /// <summary>
        /// Reads the text (and condition) column, builds the vocabulary, and trains the model (and the second model, reading
        /// the other way, when bidirectional).
        /// </summary>
        private protected override CharRnnTransformer FitCore(IDataView input, FitContext context)
        {
            var ch = context.Channel;
            var (texts, conditions, conditionSize) = TextColumn.Read(input, _options.TextColumnName, _options.ConditionColumnName, context.ThrowIfCanceled);
            if (texts.Count == 0)
                throw new InvalidOperationException($"The training data has no rows (column '{_options.TextColumnName}'); expected at least 1.");
            int seed = context.Seed;

            var counts = new Dictionary<int, long>();
            foreach (var t in texts) CharVocabulary.Count(t, counts);
            var vocabulary = CharVocabulary.FromCounts(counts, _options.MaxVocabularySize);
            var encoded = new List<int[]>(texts.Count);
            var ids = new List<int>();
            long characters = 0;
            foreach (var t in texts)
            {
                ids.Clear();
                vocabulary.Encode(t, ids);
                encoded.Add(ids.ToArray());
                characters += ids.Count;
            }
            if (_options.ContextMode == CharRnnContextMode.Stream && characters == 0)
                throw new InvalidOperationException($"Column '{_options.TextColumnName}' has no characters to train on.");
            int dropped = counts.Count - vocabulary.CodePoints.Count;
            ch.InfoInvariant($"char-RNN: {texts.Count} rows, {characters} characters, vocabulary {vocabulary.CodePoints.Count} characters{(dropped > 0 ? FormattableString.Invariant($" ({dropped} rare ones mapped to the unknown symbol)") : "")}; {_options.ContextMode} mode.");

            var architecture = new CharRnnArchitecture
            {
                VocabularySize = vocabulary.Size,
                EmbeddingSize = _options.EmbeddingSize,
                HiddenSize = _options.HiddenSize,
                Layers = _options.NumberOfLayers,
                CellType = _options.CellType,
                Dropout = _options.Dropout,
                InitialState = _options.InitialState,
                ConditionSize = conditionSize,
            };

            CharRnnNetwork forward = null, backward = null;
            try
            {
                // The first model reads the rows in ReadingOrder (LastToFirst is Rows mode only, so rows keep their
                // conditions); the optional second model reads them the other way.
                bool lastToFirst = _options.ReadingOrder == CharRnnReadingOrder.LastToFirst;
                var reversed = lastToFirst || _options.Bidirectional ? ReverseText(encoded, _options.ContextMode) : null;
                TrainingSummary forwardSummary, backwardSummary = null;
                (forward, forwardSummary) = Train(context, architecture, lastToFirst ? reversed : encoded, conditions, conditionSize, seed,
                    lastToFirst ? "last to first" : "forward");
                if (_options.Bidirectional)
                {
                    var secondConditions = _options.ContextMode == CharRnnContextMode.Stream ? null : conditions;
                    ch.InfoInvariant($"Training the second model (rows read {(lastToFirst ? "first to last" : "last to first")}) for bidirectional embeddings.");
                    (backward, backwardSummary) = Train(context, architecture, lastToFirst ? encoded : reversed, secondConditions, conditionSize, unchecked(seed + 1),
                        lastToFirst ? "first to last" : "backward");
                }
                ch.InfoInvariant($"Training finished ({forwardSummary.StopReason}); best epoch {forwardSummary.BestEpoch}, loss {forwardSummary.BestLoss:F4} nats/char.");
                return new CharRnnTransformer(Host, new CharRnnModel(forward, backward, vocabulary, _options.TextColumnName, _options.ConditionColumnName,
                    _options.ContextMode, _options.ReadingOrder, _options.ScoringBatchSize, forwardSummary, backwardSummary, context.Device));
            }
            catch
            {
                forward?.Dispose();
                backward?.Dispose();
                throw;
            }
        }

        /// <summary>Reversed rows for a model that reads last to first; in Stream mode also in reverse order, so the stream is the text read backwards.</summary>
        private static List<int[]> ReverseText(List<int[]> rows, CharRnnContextMode mode)
        {
            var reversed = rows.Select(r => { var c = (int[])r.Clone(); Array.Reverse(c); return c; }).ToList();
            if (mode == CharRnnContextMode.Stream) reversed.Reverse();
            return reversed;
        }

        /// <summary>
        /// Builds one network (its initial weights and, for the whole training run, its dropout masks drawn from the global
        /// generator seeded with <paramref name="seed"/>) and trains it.
        /// </summary>
        private (CharRnnNetwork network, TrainingSummary summary) Train(FitContext context, CharRnnArchitecture architecture, List<int[]> rows,
            float[] conditions, int conditionSize, int seed, string name)
        {
            var network = context.Build(seed, () => new CharRnnNetwork(architecture));
            try
            {
                TrainingSummary summary;
                using (var objective = CreateObjective(network, rows, conditions, conditionSize, seed, context.Channel, name))
                    summary = context.Train(objective);
                return (network, summary);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        private CharRnnObjective CreateObjective(CharRnnNetwork network, List<int[]> rows, float[] conditions, int conditionSize, int seed, IChannel ch, string name)
        {
            double k = _options.SamplingScheduleParameter ?? ScheduledSamplingMath.DefaultParameter(_options.ScheduledSampling);
            int n = rows.Count;
            int validationRows = (int)Math.Floor(n * (double)_options.ValidationFraction);
            if (_options.ContextMode == CharRnnContextMode.Stream)
            {
                // The held-out rows are the end of the text; the stream reads boundary, row, boundary, row, ..., boundary.
                var train = Stream(rows.Take(n - validationRows));
                var validation = validationRows > 0 ? Stream(rows.Skip(n - validationRows)) : null;
                ch.InfoInvariant($"Stream ({name}): {train.Length} symbols for training, {validation?.Length ?? 0} held out (the last {validationRows} rows).");
                return new StreamTrainingObjective(network, train, validation, _options.BatchSize, _options.SequenceLength,
                    _options.ScheduledSampling, k, _options.MaxSamplingProbability, seed);
            }

            if (n - validationRows < 1) validationRows = n - 1;
            var order = Enumerable.Range(0, n).ToArray();
            SeededShuffle.Shuffle(order, new Random(seed));
            var validationIndex = order.Take(validationRows).ToArray();
            var trainIndex = order.Skip(validationRows).ToArray();
            float[] Gather(int[] index)
            {
                if (conditions is null) return null;
                var result = new float[index.Length * conditionSize];
                for (int r = 0; r < index.Length; r++) Array.Copy(conditions, index[r] * conditionSize, result, r * conditionSize, conditionSize);
                return result;
            }
            ch.InfoInvariant($"Rows ({name}): {trainIndex.Length} for training, {validationIndex.Length} held out for validation.");
            return new RowsTrainingObjective(network, trainIndex.Select(i => rows[i]).ToList(), Gather(trainIndex),
                validationIndex.Select(i => rows[i]).ToList(), Gather(validationIndex), _options.BatchSize, _options.SequenceLength,
                _options.ScheduledSampling, k, _options.MaxSamplingProbability, seed);
        }

        private static int[] Stream(IEnumerable<int[]> rows)
        {
            var stream = new List<int> { CharVocabulary.BoundaryId };
            foreach (var row in rows)
            {
                stream.AddRange(row);
                stream.Add(CharVocabulary.BoundaryId);
            }
            return stream.ToArray();
        }
    }
}
