using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Generative.Sequence;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// A trained character-level language model. <see cref="GenerativeTransformer.Transform"/> keeps every input column and adds:
    /// <list type="bullet">
    /// <item><description><c>LogLikelihood</c> (float): log p(row) in nats, the sum of log p(x_k | x_&lt;k) over the row's characters and the end-of-row symbol, from the initial state (log p(x_k | x_&gt;k) and the start-of-row symbol when the model reads <see cref="CharRnnReadingOrder.LastToFirst"/>).</description></item>
    /// <item><description><c>Score</c> (float): -LogLikelihood / (characters + 1), the mean negative log-likelihood per character; higher = more unusual. Comparable across rows of different lengths.</description></item>
    /// <item><description><c>BitsPerCharacter</c> (float): Score / ln 2.</description></item>
    /// <item><description><c>Embedding</c> (vector of float): the top layer's hidden state after the model has read the whole row, in its <see cref="ReadingOrder"/> ([first model; second model, reading the other way] when bidirectional).</description></item>
    /// </list>
    /// A "character" is a Unicode scalar value. Characters not in the training vocabulary are scored as the unknown
    /// symbol, whose probability is what the model learned for rare characters (usually very low: unknown characters
    /// make a row look unusual, as they should). Empty and missing texts are valid rows (only the end-of-row symbol
    /// is scored). Long rows are read in chunks, so there is no length limit beyond memory for the text itself.
    /// Rows are scored in batches inside the cursor; Transform is safe to use from several threads at once.
    /// </summary>
    public sealed class CharRnnTransformer : GenerativeTransformer, ILoadableTransformer<CharRnnTransformer>
    {
        /// <summary>Name of the log-likelihood column.</summary>
        public const string LogLikelihoodColumnName = "LogLikelihood";
        /// <summary>Name of the per-character anomaly score column.</summary>
        public const string ScoreColumnName = "Score";
        /// <summary>Name of the bits-per-character column.</summary>
        public const string BitsPerCharacterColumnName = "BitsPerCharacter";
        /// <summary>Name of the hidden-state feature column.</summary>
        public const string EmbeddingColumnName = "Embedding";

        /// <summary>The output columns, in order.</summary>
        internal static readonly OutputColumn[] Outputs =
        {
            new OutputColumn(LogLikelihoodColumnName, NumberDataViewType.Single),
            new OutputColumn(ScoreColumnName, NumberDataViewType.Single),
            new OutputColumn(BitsPerCharacterColumnName, NumberDataViewType.Single),
            new OutputColumn(EmbeddingColumnName, NumberDataViewType.Single, IsVector: true),
        };

        internal CharRnnTransformer(IHostEnvironment env, CharRnnModel model) : base(env, nameof(CharRnnTransformer), model)
            => Model = model;

        internal CharRnnModel Model { get; }

        /// <summary>Name of the input text column.</summary>
        public string TextColumnName => Model.TextColumnName;

        /// <summary>Name of the conditioning vector column, or null.</summary>
        public string ConditionColumnName => Model.ConditionColumnName;

        /// <summary>The context mode the model was trained in.</summary>
        public CharRnnContextMode ContextMode => Model.ContextMode;

        /// <summary>The order in which the model reads a row.</summary>
        public CharRnnReadingOrder ReadingOrder => Model.ReadingOrder;

        /// <summary>
        /// Size of the <c>Embedding</c> column: the top layer's hidden size (twice that when bidirectional). Not to be
        /// confused with <see cref="CharRnnOptions.EmbeddingSize"/>, the width of the learned character embedding the
        /// network reads.
        /// </summary>
        public int EmbeddingColumnSize => Model.EmbeddingColumnSize;

        /// <summary>Obsolete: renamed to <see cref="EmbeddingColumnSize"/> (it is the size of the Embedding column, not <see cref="CharRnnOptions.EmbeddingSize"/>).</summary>
        [Obsolete("Renamed to EmbeddingColumnSize: the size of the Embedding output column (CharRnnOptions.EmbeddingSize is the width of the character embedding the network reads).")]
        [EditorBrowsable(EditorBrowsableState.Never)]
        public int EmbeddingSize => EmbeddingColumnSize;

        /// <summary>The characters the model knows (Unicode scalar values), without the end-of-row and unknown symbols.</summary>
        public IReadOnlyList<string> Vocabulary => Model.Vocabulary.CodePoints.Select(c => new Rune(c).ToString()).ToArray();

        /// <summary>Training history of the second model (reading the other way) when bidirectional, else null.</summary>
        public TrainingSummary BackwardTrainingSummary => Model.BackwardTrainingSummary;

        /// <summary>
        /// Generates text: reads the start of a row, then <paramref name="prompt"/>, then draws one character at a time.
        /// The result starts with the prompt. In Rows mode generation ends at the end-of-row symbol (or after
        /// <paramref name="maxLength"/> characters); in Stream mode the end-of-row symbol is written as a line break
        /// and generation runs to <paramref name="maxLength"/>. The unknown symbol is never drawn. A model that reads
        /// <see cref="CharRnnReadingOrder.LastToFirst"/> writes backwards from the prompt: the result ends with the
        /// prompt and starts where the model drew the start-of-row symbol.
        /// </summary>
        /// <param name="prompt">Text to continue (in Stream mode it may span lines). Characters outside the vocabulary are read as the unknown symbol. Default "".</param>
        /// <param name="maxLength">Most characters to add after the prompt. Default 500.</param>
        /// <param name="temperature">Divides the logits: below 1 is more conservative, above 1 more varied, 0 always takes the most likely character. Default 1.</param>
        /// <param name="seed">Seed of the draws; the same seed gives the same text. Default null: drawn from the context's random source.</param>
        /// <param name="topK">Draw only among the k most likely characters; null for all. Default null.</param>
        /// <param name="condition">The conditioning vector (required when the model was trained with a condition column, else must be null).</param>
        public string Generate(string prompt = "", int maxLength = 500, float temperature = 1f, int? seed = null, int? topK = null, float[] condition = null)
        {
            prompt ??= "";
            if (maxLength < 0) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "maxLength must be >= 0.");
            if (!(temperature >= 0) || float.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a finite number >= 0.");
            if (topK is int k && k < 1) throw new ArgumentOutOfRangeException(nameof(topK), topK, "topK must be null or >= 1.");
            var ids = Model.InReadingOrder(EncodePrompt(prompt));
            using var scope = NewDisposeScope();
            var conditionTensor = ConditionTensor(condition);
            using var generator = new Generator((ulong)(seed ?? Host.Rand.Next()), CPU);
            string drawn = CharRnnSampler.Generate(Model.Forward, Model.Vocabulary, ids, conditionTensor, maxLength, temperature, topK,
                stopAtBoundary: Model.ContextMode == CharRnnContextMode.Rows, generator);
            return Model.ReadingOrder == CharRnnReadingOrder.LastToFirst ? string.Concat(drawn.EnumerateRunes().Reverse()) + prompt : prompt + drawn;
        }

        /// <summary>
        /// The log-probability of every character of <paramref name="text"/> given the ones before it (from the initial
        /// state, as in scoring), followed by the end-of-row entry. Their sum is the row's LogLikelihood. In Stream mode
        /// the text may span lines: each line break is scored as the end-of-row symbol (IsEndOfRow = true), as in training.
        /// For a model that reads <see cref="CharRnnReadingOrder.LastToFirst"/> each character is scored given the ones
        /// after it, and the last entry is the start-of-row symbol; the entries stay in the text's own order.
        /// </summary>
        /// <param name="text">The row (null is treated as empty).</param>
        /// <param name="condition">The conditioning vector when the model has a condition column, else null.</param>
        public IReadOnlyList<CharacterScore> ScoreCharacters(string text, float[] condition = null)
        {
            text ??= "";
            var runes = text.Replace("\r\n", "\n").EnumerateRunes().ToArray();
            var ids = EncodePrompt(text);
            float[] conditions = null;
            if (Model.ConditionSize > 0 || condition != null)
            {
                CheckCondition(condition);
                conditions = condition;
            }
            var perPosition = new float[1][];
            var read = Model.InReadingOrder((int[])ids.Clone());
            RowLikelihood.Score(Model.Forward, new[] { read }, conditions, CharRnnModel.ScoringChunkLength, new double[1], null, perPosition);
            bool lastToFirst = Model.ReadingOrder == CharRnnReadingOrder.LastToFirst;
            var result = new CharacterScore[ids.Length + 1];
            for (int i = 0; i < ids.Length; i++)
                result[i] = new CharacterScore(i, runes[i].ToString(), perPosition[0][lastToFirst ? ids.Length - 1 - i : i], ids[i] == CharVocabulary.UnknownId, ids[i] == CharVocabulary.BoundaryId);
            result[ids.Length] = new CharacterScore(ids.Length, "", perPosition[0][ids.Length], false, true);
            return result;
        }

        /// <summary>
        /// The model's distribution of the next character after <paramref name="prefix"/> (from the initial state): each
        /// known character, "" for the end of the row and "\uFFFD" for the unknown symbol, with its probability. Sums to 1.
        /// For a model that reads <see cref="CharRnnReadingOrder.LastToFirst"/>: the character before <paramref name="prefix"/>
        /// ("" for the start of the row).
        /// </summary>
        public IReadOnlyDictionary<string, float> NextCharacterProbabilities(string prefix, float[] condition = null)
        {
            prefix ??= "";
            var ids = Model.InReadingOrder(EncodePrompt(prefix));
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var conditionTensor = ConditionTensor(condition);
            var input = new long[ids.Length + 1];
            for (int i = 0; i < ids.Length; i++) input[i + 1] = ids[i];
            var device = Model.Device;
            var (logits, _, _) = Model.Forward.Run(tensor(input, new long[] { 1, input.Length }).to(device), Model.Forward.InitialState(1, conditionTensor));
            var probabilities = nn.functional.softmax(logits[0, -1].to(float64), 0).cpu().data<double>().ToArray();
            var result = new Dictionary<string, float>(probabilities.Length);
            for (int id = 0; id < probabilities.Length; id++)
                result[id == CharVocabulary.BoundaryId ? "" : Model.Vocabulary.Text(id)] = (float)probabilities[id];
            return result;
        }

        /// <summary>In Stream mode a line break is the end-of-row symbol, as in training; in Rows mode it is an ordinary character.</summary>
        private int[] EncodePrompt(string prompt)
        {
            if (Model.ContextMode != CharRnnContextMode.Stream) return Model.Encode(prompt, out _);
            var lines = prompt.Replace("\r\n", "\n").Split('\n');
            var ids = new List<int>();
            for (int i = 0; i < lines.Length; i++)
            {
                if (i > 0) ids.Add(CharVocabulary.BoundaryId);
                ids.AddRange(Model.Encode(lines[i], out _));
            }
            return ids.ToArray();
        }

        private Tensor ConditionTensor(float[] condition)
        {
            if (Model.ConditionSize == 0 && condition is null) return null;
            CheckCondition(condition);
            return tensor(condition, new long[] { 1, condition.Length }).to(Model.Device);
        }

        private void CheckCondition(float[] condition)
        {
            if (Model.ConditionSize == 0)
                throw new ArgumentException("This model was trained without a condition column; pass condition: null.", nameof(condition));
            if (condition is null || condition.Length != Model.ConditionSize)
                throw new ArgumentException($"This model was trained with condition column '{Model.ConditionColumnName}': pass a vector of {Model.ConditionSize} values.", nameof(condition));
            for (int i = 0; i < condition.Length; i++)
                if (!float.IsFinite(condition[i]))
                    throw new ArgumentException($"Condition value {i} is {condition[i]}; expected a finite number.", nameof(condition));
        }

        static IModelSerializer ILoadableTransformer<CharRnnTransformer>.Serializer => CharRnnModelSerializer.Instance;

        static CharRnnTransformer ILoadableTransformer<CharRnnTransformer>.Load(IHostEnvironment env, byte[] payload)
            => new CharRnnTransformer(env, CharRnnModelSerializer.Instance.Deserialize(payload));
    }
}
