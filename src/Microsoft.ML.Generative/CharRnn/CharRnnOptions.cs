using System;
using Microsoft.ML.Generative.Sequence;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Options of <see cref="CharRnnEstimator"/>, a character-level recurrent language model
    /// p(x_1..x_n) = prod_k p(x_k | x_&lt;k). Defaults suit a few thousand to a few million characters on a CPU. The training
    /// and execution options shared by every family are on <see cref="GenerativeModelOptions"/>; their defaults here:
    /// MaxEpochs 50, BatchSize 64, LearningRate 3e-3, LearningRateSchedule Cosine, WeightDecay 0.01, GradientClipNorm 1
    /// (recurrent networks need clipping), ValidationFraction 0.1, EarlyStoppingPatience 5, ScoringBatchSize 256, and no
    /// time budget or weight averaging.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>BatchSize counts rows (Rows mode) or parallel text segments (Stream mode). On a CPU, 32 segments of
    /// 128 characters trained at nearly the characters per second of 64 and so took twice the optimizer steps, which helped
    /// under a time budget (docs/BENCHMARKS.md, section 6); small data sets (a few thousand rows) need 16 or 32 to get
    /// enough steps.</description></item>
    /// <item><description>ValidationFraction holds out a seeded random share of the rows (Rows mode) or the last rows of the
    /// text (Stream mode).</description></item>
    /// <item><description>WeightDecay 0.1 and 0.3 were better than the default for a GRU 2 x 384 on a million characters of
    /// text at 5, 10 and 30 minutes of training, 0.3 most at 30 minutes (docs/BENCHMARKS.md, section 6).</description></item>
    /// <item><description>The seed also draws the dropout masks: Fit seeds TorchSharp's global generator for the whole run
    /// and restores it afterwards.</description></item>
    /// </list>
    /// </remarks>
    public sealed class CharRnnOptions : GenerativeModelOptions
    {
        /// <summary>Creates the options with their defaults.</summary>
        public CharRnnOptions()
            : base(maxEpochs: 50, batchSize: 64, learningRate: 3e-3f, learningRateSchedule: LearningRateSchedule.Cosine,
                weightDecay: 0.01f, gradientClipNorm: 1f, earlyStoppingPatience: 5, scoringBatchSize: 256)
        {
        }

        /// <summary>Input column of type Text (string). Missing values are scored as empty rows. Default "Text".</summary>
        public string TextColumnName { get; set; } = "Text";

        /// <summary>How rows are read while training: independent rows or one long stream. Default <see cref="CharRnnContextMode.Rows"/>.</summary>
        public CharRnnContextMode ContextMode { get; set; } = CharRnnContextMode.Rows;

        // ----- architecture -----

        /// <summary>The recurrent cell. Default <see cref="CharRnnCellType.Lstm"/>.</summary>
        public CharRnnCellType CellType { get; set; } = CharRnnCellType.Lstm;

        /// <summary>Number of stacked recurrent layers. Default 2.</summary>
        public int NumberOfLayers { get; set; } = 2;

        /// <summary>Size of each layer's hidden state (and of <c>Embedding</c>, doubled when <see cref="Bidirectional"/>). Default 256.</summary>
        public int HiddenSize { get; set; } = 256;

        /// <summary>Size of the learned character embedding fed to the first layer. Default 64.</summary>
        public int EmbeddingSize { get; set; } = 64;

        /// <summary>
        /// Dropout on the embeddings, between layers and before the output layer, while training. Default 0.1. With
        /// WeightDecay 0.3, 0.1 was better than 0.2 for a GRU 2 x 384 on a million characters of text at 30 minutes
        /// of training (docs/BENCHMARKS.md, section 6): weight decay regularises without slowing learning as dropout does.
        /// </summary>
        public float Dropout { get; set; } = 0.1f;

        /// <summary>Where each row's initial hidden state comes from. Default <see cref="CharRnnInitialState.Zeros"/>.</summary>
        public CharRnnInitialState InitialState { get; set; } = CharRnnInitialState.Zeros;

        /// <summary>
        /// A vector-of-Single column that conditions each row (required when <see cref="InitialState"/> is
        /// <see cref="CharRnnInitialState.Condition"/>, and only allowed then; Rows mode only). Default null.
        /// </summary>
        public string ConditionColumnName { get; set; }

        /// <summary>
        /// The order in which the model reads a row: <see cref="CharRnnReadingOrder.FirstToLast"/> (the usual left-to-right
        /// language model) or <see cref="CharRnnReadingOrder.LastToFirst"/> (often better for scoring log lines, whose
        /// distinctive message comes last). Either way LogLikelihood is the exact log-probability of the row and
        /// <c>ScoreCharacters</c> lists the characters in their own order. Default FirstToLast.
        /// </summary>
        public CharRnnReadingOrder ReadingOrder { get; set; } = CharRnnReadingOrder.FirstToLast;

        /// <summary>
        /// Also train a second model that reads the rows in the opposite order (the backward model, for the default
        /// <see cref="ReadingOrder"/>); <c>Embedding</c> is then [h_forward; h_backward], as in a bidirectional RNN.
        /// LogLikelihood, Score and generation use the first model (the one that reads in <see cref="ReadingOrder"/>).
        /// Doubles training time. Default false.
        /// </summary>
        public bool Bidirectional { get; set; }

        /// <summary>
        /// Most characters kept in the vocabulary (the most frequent in the training data); the rest, and characters never
        /// seen in training, are scored as one unknown symbol. Default 1000.
        /// </summary>
        public int MaxVocabularySize { get; set; } = 1000;

        // ----- training (besides the shared options) -----

        /// <summary>Characters per training window: gradients flow back at most this far (truncated BPTT). Default 128.</summary>
        public int SequenceLength { get; set; } = 128;

        /// <summary>Teacher forcing (default) or a scheduled-sampling schedule.</summary>
        public ScheduledSampling ScheduledSampling { get; set; } = ScheduledSampling.TeacherForcing;

        /// <summary>The schedule's k (see <see cref="Generative.ScheduledSampling"/>); null for the schedule's default.</summary>
        public double? SamplingScheduleParameter { get; set; }

        /// <summary>Cap on the probability of feeding the model's own sample. Default 0.25.</summary>
        public float MaxSamplingProbability { get; set; } = 0.25f;

        internal override void Validate()
        {
            CheckColumnName(TextColumnName, nameof(TextColumnName));
            Check(Enum.IsDefined(ContextMode), nameof(ContextMode), ContextMode, "a defined CharRnnContextMode");
            Check(Enum.IsDefined(CellType), nameof(CellType), CellType, "a defined CharRnnCellType");
            Check(NumberOfLayers >= 1, nameof(NumberOfLayers), NumberOfLayers, ">= 1");
            Check(HiddenSize >= 1, nameof(HiddenSize), HiddenSize, ">= 1");
            Check(EmbeddingSize >= 1, nameof(EmbeddingSize), EmbeddingSize, ">= 1");
            Check(Dropout >= 0 && Dropout < 1, nameof(Dropout), Dropout, "in [0, 1)");
            Check(Enum.IsDefined(InitialState), nameof(InitialState), InitialState, "a defined CharRnnInitialState");
            bool conditioned = InitialState == CharRnnInitialState.Condition;
            if (conditioned && string.IsNullOrWhiteSpace(ConditionColumnName))
                throw new ArgumentException("CharRnnOptions.InitialState is Condition: set ConditionColumnName to a vector-of-Single column.", nameof(ConditionColumnName));
            if (!conditioned && ConditionColumnName != null)
                throw new ArgumentException("CharRnnOptions.ConditionColumnName is set: also set InitialState = CharRnnInitialState.Condition.", nameof(ConditionColumnName));
            Check(Enum.IsDefined(ReadingOrder), nameof(ReadingOrder), ReadingOrder, "a defined CharRnnReadingOrder");
            if (ReadingOrder == CharRnnReadingOrder.LastToFirst && ContextMode == CharRnnContextMode.Stream)
                throw new ArgumentException("ReadingOrder = LastToFirst applies to independent rows: use ContextMode = Rows (a Stream-mode text is read in its own order).", nameof(ReadingOrder));
            if (conditioned && ContextMode == CharRnnContextMode.Stream)
                throw new ArgumentException("A conditioning vector belongs to one row: use ContextMode = Rows with InitialState = Condition.", nameof(ContextMode));
            Check(MaxVocabularySize >= 1, nameof(MaxVocabularySize), MaxVocabularySize, ">= 1");
            Check(SequenceLength >= 1, nameof(SequenceLength), SequenceLength, ">= 1");
            Check(Enum.IsDefined(ScheduledSampling), nameof(ScheduledSampling), ScheduledSampling, "a defined ScheduledSampling");
            Check(SamplingScheduleParameter is null || ScheduledSamplingMath.IsValidParameter(ScheduledSampling, SamplingScheduleParameter.Value),
                nameof(SamplingScheduleParameter), SamplingScheduleParameter, "null or valid for the schedule (Linear: > 0; Exponential: in (0, 1); InverseSigmoid: >= 1)");
            Check(MaxSamplingProbability >= 0 && MaxSamplingProbability <= 1, nameof(MaxSamplingProbability), MaxSamplingProbability, "in [0, 1]");
            base.Validate();
        }
    }
}
