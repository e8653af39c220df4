using System;
using Microsoft.ML.Generative.Flows;

namespace Microsoft.ML.Generative
{
    /// <summary>Options of <see cref="RealNvpEstimator"/>. Every field has a documented default that works for typical tabular data.</summary>
    public sealed class RealNvpOptions
    {
        /// <summary>Input column: a vector of Single (float) with a fixed number of features per row. Default "Features".</summary>
        public string FeatureColumnName { get; set; } = "Features";

        // ----- architecture -----

        /// <summary>Number of affine coupling layers. Masks alternate so every feature is transformed. Default 8.</summary>
        public int NumberOfCouplingLayers { get; set; } = 8;

        /// <summary>
        /// Width of the hidden layers of each coupling's scale/translation network. Default null: chosen from the
        /// number of features d as max(64, 8d), capped at 256.
        /// </summary>
        public int? HiddenLayerSize { get; set; }

        /// <summary>Number of hidden layers of each scale/translation network. Default 2.</summary>
        public int NumberOfHiddenLayers { get; set; } = 2;

        /// <summary>Activation of the scale/translation networks. Default <see cref="ConditionerActivation.Relu"/>.</summary>
        public ConditionerActivation Activation { get; set; } = ConditionerActivation.Relu;

        /// <summary>
        /// Normalisation layer after every coupling. Default <see cref="FlowNormalization.ActNorm"/> (data-initialised,
        /// identical in training and scoring). <see cref="FlowNormalization.BatchNorm"/> is the paper's choice: batch
        /// statistics while training, saved running averages when scoring.
        /// </summary>
        public FlowNormalization Normalization { get; set; } = FlowNormalization.ActNorm;

        /// <summary>
        /// Bound each coupling's log-scale as s = scale * tanh(raw) with a learned per-feature scale, so exp(s) cannot
        /// overflow early in training. Default true. False uses the raw, unbounded log-scale of the original paper.
        /// </summary>
        public bool BoundLogScale { get; set; } = true;

        /// <summary>
        /// Standardise every feature with its training mean and standard deviation as the flow's first (fixed) layer.
        /// Its log-determinant is part of the flow, so LogLikelihood is a density in the original units. Default true.
        /// </summary>
        public bool StandardizeFeatures { get; set; } = true;

        // ----- training -----

        /// <summary>Maximum number of passes over the training rows. Default 200 (early stopping usually ends sooner).</summary>
        public int MaxEpochs { get; set; } = 200;

        /// <summary>Rows per optimizer step (smaller training sets use all rows per step). Default 256.</summary>
        public int BatchSize { get; set; } = 256;

        /// <summary>AdamW learning rate. Default 1e-3.</summary>
        public float LearningRate { get; set; } = 1e-3f;

        /// <summary>How the learning rate changes over the epochs. Default <see cref="Generative.LearningRateSchedule.Constant"/>.</summary>
        public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

        /// <summary>AdamW decoupled weight decay. Default 1e-4.</summary>
        public float WeightDecay { get; set; } = 1e-4f;

        /// <summary>
        /// Clip the global gradient norm to this value; 0 disables clipping. Default 10. With clipping on, a step whose
        /// gradient is NaN or infinite is skipped (and counted in <see cref="Training.TrainingSummary.SkippedSteps"/>).
        /// </summary>
        public float GradientClipNorm { get; set; } = 10f;

        /// <summary>
        /// Fraction of the training rows held out (seeded random split) to choose the best epoch, stop early and set
        /// <see cref="RealNvpTransformer.Threshold"/>. 0 uses training rows for all three. Default 0.1.
        /// </summary>
        public float ValidationFraction { get; set; } = 0.1f;

        /// <summary>Stop after this many epochs without a better validation loss, keeping the best weights; 0 never stops early. Default 20.</summary>
        public int EarlyStoppingPatience { get; set; } = 20;

        /// <summary>
        /// Standard deviation of Gaussian noise added to training rows, as a fraction of each feature's standard
        /// deviation. A little noise keeps the density from collapsing onto repeated or discrete values (common in
        /// tabular data) and regularises small data sets; the model then learns the density of the noisy rows, and
        /// validation uses one fixed draw of the same noise. 0 disables. Default 0.05 (for density estimation; for
        /// anomaly detection on small or contaminated data, 1 worked best, see TrimFraction). Scoring never adds noise.
        /// </summary>
        public float TrainingNoise { get; set; } = 0.05f;

        /// <summary>
        /// Trimmed maximum likelihood: each training batch's loss (and the validation loss) is the mean negative
        /// log-likelihood of its (1 - TrimFraction) most likely rows. The least likely rows, in an unlabelled training
        /// set mostly anomalies, then do not pull density towards themselves, so they keep scoring as anomalous.
        /// Use it for anomaly detection when the training data may contain anomalies: TrimFraction = 0.2 with
        /// TrainingNoise = 1 was the best single setting on the six ODDS benchmarks (docs/BENCHMARKS.md). It biases
        /// the density of clean data (its tails get too little mass), so the default is 0: plain maximum likelihood.
        /// </summary>
        public float TrimFraction { get; set; }

        /// <summary>Seed of weight initialisation, the validation split, shuffling and training noise. Default null: drawn from the MLContext's seed.</summary>
        public int? Seed { get; set; }

        /// <summary>
        /// Target false-positive rate of <see cref="RealNvpTransformer.Threshold"/>: the threshold is the (1 - rate)
        /// quantile of the held-out training rows' scores, so about this fraction of normal rows get PredictedLabel = true. Default 0.01.
        /// </summary>
        public float AnomalyFalsePositiveRate { get; set; } = 0.01f;

        // ----- execution -----

        /// <summary>
        /// TorchSharp intra-op threads during Fit (TorchSharp's setting is process-wide; it is restored afterwards).
        /// Default null: leave the process's setting unchanged.
        /// </summary>
        public int? NumberOfThreads { get; set; }

        /// <summary>"cpu" (default) or "cuda" / "cuda:N" to train and score on a GPU (needs a CUDA build of libtorch in the application).</summary>
        public string Device { get; set; } = "cpu";

        /// <summary>Rows scored per model call inside a cursor. Default 1024.</summary>
        public int ScoringBatchSize { get; set; } = 1024;

        internal int ResolveHiddenLayerSize(int features) => HiddenLayerSize ?? Math.Min(256, Math.Max(64, 8 * features));

        internal void Validate()
        {
            static void Check(bool ok, string name, object value, string expected)
            {
                if (!ok) throw new ArgumentOutOfRangeException(name, value, $"RealNvpOptions.{name} must be {expected}.");
            }
            if (string.IsNullOrWhiteSpace(FeatureColumnName)) throw new ArgumentException("RealNvpOptions.FeatureColumnName must be a column name.", nameof(FeatureColumnName));
            Check(NumberOfCouplingLayers >= 1, nameof(NumberOfCouplingLayers), NumberOfCouplingLayers, ">= 1");
            Check(HiddenLayerSize is null || HiddenLayerSize >= 1, nameof(HiddenLayerSize), HiddenLayerSize, "null or >= 1");
            Check(NumberOfHiddenLayers >= 1, nameof(NumberOfHiddenLayers), NumberOfHiddenLayers, ">= 1");
            Check(Enum.IsDefined(Activation), nameof(Activation), Activation, "a defined ConditionerActivation");
            Check(Enum.IsDefined(Normalization), nameof(Normalization), Normalization, "a defined FlowNormalization");
            Check(MaxEpochs >= 1, nameof(MaxEpochs), MaxEpochs, ">= 1");
            Check(BatchSize >= 1, nameof(BatchSize), BatchSize, ">= 1");
            Check(LearningRate > 0 && float.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a finite number > 0");
            Check(Enum.IsDefined(LearningRateSchedule), nameof(LearningRateSchedule), LearningRateSchedule, "a defined LearningRateSchedule");
            Check(WeightDecay >= 0 && float.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, ">= 0");
            Check(GradientClipNorm >= 0 && float.IsFinite(GradientClipNorm), nameof(GradientClipNorm), GradientClipNorm, ">= 0");
            Check(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
            Check(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, ">= 0");
            Check(TrainingNoise >= 0 && float.IsFinite(TrainingNoise), nameof(TrainingNoise), TrainingNoise, ">= 0");
            Check(TrimFraction >= 0 && TrimFraction < 1, nameof(TrimFraction), TrimFraction, "in [0, 1)");
            Check(AnomalyFalsePositiveRate > 0 && AnomalyFalsePositiveRate < 1, nameof(AnomalyFalsePositiveRate), AnomalyFalsePositiveRate, "in (0, 1)");
            Check(NumberOfThreads is null || NumberOfThreads >= 1, nameof(NumberOfThreads), NumberOfThreads, "null or >= 1");
            Check(ScoringBatchSize >= 1, nameof(ScoringBatchSize), ScoringBatchSize, ">= 1");
            TorchDevice.Parse(Device);
        }
    }
}
