using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.MLNetInternals;
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
    public sealed class CharRnnEstimator : IEstimator<CharRnnTransformer>
    {
        private readonly IHost _host;
        private readonly CharRnnOptions _options;

        internal CharRnnEstimator(IHostEnvironment env, CharRnnOptions options)
        {
            _host = (env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(CharRnnEstimator));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _options.Validate();
        }

        /// <summary>Checks the input schema shape and returns the output shape: the input plus LogLikelihood, Score, BitsPerCharacter and Embedding.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The text column is missing or not Text, or the condition column is missing or not a vector of Single.</exception>
        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            string name = _options.TextColumnName;
            var column = inputSchema.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' was not found. Expected a Text (string) column.");
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{name}' has type {(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "vector of ")}{column.ItemType}; expected Text (string).");
            if (_options.ConditionColumnName is string conditionName)
            {
                var condition = inputSchema.FirstOrDefault(c => c.Name == conditionName);
                if (condition.Name is null || condition.Kind == SchemaShape.Column.VectorKind.Scalar || condition.ItemType != NumberDataViewType.Single)
                    throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Condition column '{conditionName}' must exist and be a vector of Single (float).");
            }
            return SchemaShapes.With(inputSchema,
                SchemaShapes.Scalar(CharRnnTransformer.LogLikelihoodColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(CharRnnTransformer.ScoreColumnName, NumberDataViewType.Single),
                SchemaShapes.Scalar(CharRnnTransformer.BitsPerCharacterColumnName, NumberDataViewType.Single),
                SchemaShapes.Vector(CharRnnTransformer.EmbeddingColumnName, NumberDataViewType.Single));
        }

        /// <summary>
        /// Trains the model (and the backward model when bidirectional). Progress and validation loss per epoch go to the
        /// context's log (<c>MLContext.Log</c>); <c>MLContext.CancelExecution()</c> stops training with an
        /// <see cref="OperationCanceledException"/> and no model.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
        /// <exception cref="InvalidOperationException">The data has no rows or no characters, or a condition vector is malformed (the message names the row).</exception>
        public CharRnnTransformer Fit(IDataView input)
        {
            if (input is null) throw new ArgumentNullException(nameof(input));
            using var threads = new TorchThreadsScope(_options.NumberOfThreads);
            using var ch = _host.Start("Training char-RNN");
            void ThrowIfCanceled() => HostCancellation.ThrowIfCanceled(_host);

            var device = TorchDevice.Resolve(_options.Device);
            var (texts, conditions, conditionSize) = TextColumn.Read(input, _options.TextColumnName, _options.ConditionColumnName, ThrowIfCanceled);
            if (texts.Count == 0)
                throw new InvalidOperationException($"The training data has no rows (column '{_options.TextColumnName}'); expected at least 1.");
            int seed = _options.Seed ?? _host.Rand.Next();

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
                (forward, forwardSummary) = Train(architecture, lastToFirst ? reversed : encoded, conditions, conditionSize, seed, device, ch, ThrowIfCanceled,
                    lastToFirst ? "last to first" : "forward");
                if (_options.Bidirectional)
                {
                    var secondConditions = _options.ContextMode == CharRnnContextMode.Stream ? null : conditions;
                    ch.InfoInvariant($"Training the second model (rows read {(lastToFirst ? "first to last" : "last to first")}) for bidirectional embeddings.");
                    (backward, backwardSummary) = Train(architecture, lastToFirst ? encoded : reversed, secondConditions, conditionSize, unchecked(seed + 1), device, ch, ThrowIfCanceled,
                        lastToFirst ? "first to last" : "backward");
                }
                ch.InfoInvariant($"Training finished ({forwardSummary.StopReason}); best epoch {forwardSummary.BestEpoch}, loss {forwardSummary.BestLoss:F4} nats/char.");
                return new CharRnnTransformer(_host, new CharRnnModel(forward, backward, vocabulary, _options.TextColumnName, _options.ConditionColumnName,
                    _options.ContextMode, _options.ReadingOrder, _options.ScoringBatchSize, forwardSummary, backwardSummary, device));
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

        private (CharRnnNetwork network, TrainingSummary summary) Train(CharRnnArchitecture architecture, List<int[]> rows, float[] conditions, int conditionSize,
            int seed, Device device, IChannel ch, Action throwIfCanceled, string name)
        {
            // Weight initialisation and dropout draw from TorchSharp's global generator: seed it for the whole run (and
            // restore it afterwards) so the same seed gives the same model.
            using var seeded = new SeededGlobalGeneratorScope(seed);
            var network = new CharRnnNetwork(architecture);
            if (device.type != DeviceType.CPU) network.to(device);
            try
            {
                using var objective = CreateObjective(network, rows, conditions, conditionSize, seed, ch, name);
                var summary = TrainingLoop.Run(objective, new TrainingSettings
                {
                    MaxEpochs = _options.MaxEpochs,
                    LearningRate = _options.LearningRate,
                    FinalLearningRateFraction = _options.LearningRateSchedule == LearningRateSchedule.Cosine ? 0.01 : 1.0,
                    WeightDecay = _options.WeightDecay,
                    GradientClipNorm = _options.GradientClipNorm,
                    EarlyStoppingPatience = _options.EarlyStoppingPatience,
                    MaxTrainingTime = _options.MaxTrainingTime,
                    ParameterAveragingDecay = _options.WeightAveragingDecay,
                }, ch, throwIfCanceled);
                network.eval();
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
