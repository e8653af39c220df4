using System;
using Microsoft.ML.Generative.Training;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// The options every model family of this library shares: how it trains (epochs, batches, AdamW, schedule, clipping,
    /// validation and early stopping, a time budget, weight averaging, the seed) and where it runs (threads, device, scoring
    /// batch). Each family's options class (<see cref="RealNvpOptions"/>, <see cref="RealNvpImageOptions"/>,
    /// <see cref="CharRnnOptions"/>) derives from it, adds its own options and sets defaults that suit its data; every
    /// property documents the default of each family.
    /// </summary>
    public abstract class GenerativeModelOptions
    {
        /// <summary>Only this library's model families derive from the shared options; each states its defaults here.</summary>
        private protected GenerativeModelOptions(int maxEpochs, int batchSize, float learningRate, LearningRateSchedule learningRateSchedule,
            float weightDecay, float gradientClipNorm, int earlyStoppingPatience, int scoringBatchSize)
        {
            MaxEpochs = maxEpochs;
            BatchSize = batchSize;
            LearningRate = learningRate;
            LearningRateSchedule = learningRateSchedule;
            WeightDecay = weightDecay;
            GradientClipNorm = gradientClipNorm;
            EarlyStoppingPatience = earlyStoppingPatience;
            ScoringBatchSize = scoringBatchSize;
        }

        // ----- training -----

        /// <summary>
        /// Maximum number of passes over the training data; early stopping or <see cref="MaxTrainingTime"/> may end
        /// training sooner. Defaults: <see cref="RealNvpOptions"/> 200, <see cref="RealNvpImageOptions"/> 50,
        /// <see cref="CharRnnOptions"/> 50.
        /// </summary>
        public int MaxEpochs { get; set; }

        /// <summary>
        /// Items per optimizer step: rows (vectors, or text rows in the char-RNN's Rows mode), images, or parallel text
        /// segments (the char-RNN's Stream mode). A training set smaller than a batch is one batch. Defaults:
        /// <see cref="RealNvpOptions"/> 256, <see cref="RealNvpImageOptions"/> 64 (at least 2), <see cref="CharRnnOptions"/> 64.
        /// </summary>
        public int BatchSize { get; set; }

        /// <summary>
        /// AdamW learning rate. Defaults: <see cref="RealNvpOptions"/> 1e-3, <see cref="RealNvpImageOptions"/> 1e-3,
        /// <see cref="CharRnnOptions"/> 3e-3.
        /// </summary>
        public float LearningRate { get; set; }

        /// <summary>
        /// How the learning rate changes over training. <see cref="Generative.LearningRateSchedule.Cosine"/> decays it step by
        /// step to 1% over MaxEpochs, or over <see cref="MaxTrainingTime"/> when that is further along. Defaults:
        /// <see cref="RealNvpOptions"/> Constant, <see cref="RealNvpImageOptions"/> Cosine, <see cref="CharRnnOptions"/> Cosine.
        /// </summary>
        public LearningRateSchedule LearningRateSchedule { get; set; }

        /// <summary>
        /// AdamW decoupled weight decay. Defaults: <see cref="RealNvpOptions"/> 1e-4, <see cref="RealNvpImageOptions"/> 0,
        /// <see cref="CharRnnOptions"/> 0.01.
        /// </summary>
        public float WeightDecay { get; set; }

        /// <summary>
        /// Keep an exponential moving average of the weights, updated after every optimizer step with this decay (for
        /// example 0.999, about the last 1,000 steps), and validate and keep the averaged weights instead of the live ones
        /// (Polyak averaging). Batch-normalisation statistics are not averaged. Default null (off) for every family.
        /// </summary>
        public float? WeightAveragingDecay { get; set; }

        /// <summary>
        /// Clip the global gradient norm to this value; 0 disables clipping. With clipping on, a step whose gradient is NaN
        /// or infinite is skipped and counted in <see cref="TrainingSummary.SkippedSteps"/>. Defaults:
        /// <see cref="RealNvpOptions"/> 10, <see cref="RealNvpImageOptions"/> 100, <see cref="CharRnnOptions"/> 1.
        /// </summary>
        public float GradientClipNorm { get; set; }

        /// <summary>
        /// Fraction of the training data held out to choose the best epoch and to stop early (the flows also set their
        /// anomaly threshold or typicality reference from it; see each family's remarks). 0 monitors the training loss.
        /// Default 0.1 for every family.
        /// </summary>
        public float ValidationFraction { get; set; } = 0.1f;

        /// <summary>
        /// Stop after this many epochs without a better validation loss, keeping the best weights; 0 never stops early.
        /// Defaults: <see cref="RealNvpOptions"/> 20, <see cref="RealNvpImageOptions"/> 5, <see cref="CharRnnOptions"/> 5.
        /// </summary>
        public int EarlyStoppingPatience { get; set; }

        /// <summary>
        /// Wall-clock budget for training, validation passes included; null for none. With a budget, a cosine schedule
        /// follows time (or steps, whichever is further along), training ends after the epoch in which the budget runs out
        /// and keeps the best completed epoch, and results depend on the machine's speed. Default null for every family.
        /// </summary>
        public TimeSpan? MaxTrainingTime { get; set; }

        /// <summary>
        /// Seed of weight initialisation, the validation split, shuffling and every random draw of training (noise,
        /// dequantization, dropout). The same seed gives the same model on the CPU. Default null: drawn from the
        /// MLContext's seed.
        /// </summary>
        public int? Seed { get; set; }

        // ----- execution -----

        /// <summary>
        /// TorchSharp intra-op threads during Fit. TorchSharp's setting is process-wide: Fit sets it and restores it
        /// afterwards. Default null: leave the process's setting unchanged.
        /// </summary>
        public int? NumberOfThreads { get; set; }

        /// <summary>
        /// "cpu", or "cuda" / "cuda:N" to train and score on a GPU (the application then references a CUDA build of
        /// libtorch instead of libtorch-cpu; a loaded model scores on the CPU). Default "cpu".
        /// </summary>
        public string Device { get; set; } = "cpu";

        /// <summary>
        /// Rows scored per model call inside a cursor of <c>Transform</c>. Defaults: <see cref="RealNvpOptions"/> 1024,
        /// <see cref="RealNvpImageOptions"/> 256, <see cref="CharRnnOptions"/> 256.
        /// </summary>
        public int ScoringBatchSize { get; set; }

        /// <summary>The smallest <see cref="BatchSize"/> the family accepts.</summary>
        private protected virtual int MinimumBatchSize => 1;

        /// <summary>
        /// Throws an <see cref="ArgumentException"/> naming the option (as <c>RealNvpOptions.MaxEpochs</c>) when an option is
        /// out of range. Families check their own options after calling this.
        /// </summary>
        internal virtual void Validate()
        {
            Check(MaxEpochs >= 1, nameof(MaxEpochs), MaxEpochs, ">= 1");
            Check(BatchSize >= MinimumBatchSize, nameof(BatchSize), BatchSize, $">= {MinimumBatchSize}");
            Check(LearningRate > 0 && float.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a finite number > 0");
            Check(Enum.IsDefined(LearningRateSchedule), nameof(LearningRateSchedule), LearningRateSchedule, "a defined LearningRateSchedule");
            Check(WeightDecay >= 0 && float.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, ">= 0");
            Check(WeightAveragingDecay is null || (WeightAveragingDecay > 0 && WeightAveragingDecay < 1), nameof(WeightAveragingDecay), WeightAveragingDecay, "null or in (0, 1)");
            Check(GradientClipNorm >= 0 && float.IsFinite(GradientClipNorm), nameof(GradientClipNorm), GradientClipNorm, ">= 0");
            Check(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
            Check(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, ">= 0");
            Check(MaxTrainingTime is null || MaxTrainingTime > TimeSpan.Zero, nameof(MaxTrainingTime), MaxTrainingTime, "null or positive");
            Check(NumberOfThreads is null || NumberOfThreads >= 1, nameof(NumberOfThreads), NumberOfThreads, "null or >= 1");
            Check(ScoringBatchSize >= 1, nameof(ScoringBatchSize), ScoringBatchSize, ">= 1");
            TorchDevice.Parse(Device);
        }

        /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> "&lt;Options type&gt;.&lt;name&gt; must be &lt;expected&gt;." unless <paramref name="ok"/>.</summary>
        private protected void Check(bool ok, string name, object value, string expected)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}.{name} must be {expected}.");
        }

        /// <summary>Throws an <see cref="ArgumentException"/> unless <paramref name="name"/>'s value names a column.</summary>
        private protected void CheckColumnName(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{GetType().Name}.{name} must be a column name.", name);
        }

        /// <summary>The training loop's settings from the shared options.</summary>
        internal TrainingSettings ToTrainingSettings() => new TrainingSettings
        {
            MaxEpochs = MaxEpochs,
            LearningRate = LearningRate,
            FinalLearningRateFraction = LearningRateSchedule == LearningRateSchedule.Cosine ? 0.01 : 1.0,
            WeightDecay = WeightDecay,
            GradientClipNorm = GradientClipNorm,
            EarlyStoppingPatience = EarlyStoppingPatience,
            MaxTrainingTime = MaxTrainingTime,
            ParameterAveragingDecay = WeightAveragingDecay,
        };
    }
}
