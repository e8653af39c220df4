using System;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Options of <see cref="RealNvpEstimator"/>. Every option has a documented default that works for typical tabular
    /// data. The training and execution options shared by every family are on <see cref="GenerativeModelOptions"/>; their
    /// defaults here: MaxEpochs 200, BatchSize 256, LearningRate 1e-3, LearningRateSchedule Constant, WeightDecay 1e-4,
    /// GradientClipNorm 10, ValidationFraction 0.1, EarlyStoppingPatience 20, ScoringBatchSize 1024, and no time budget or
    /// weight averaging.
    /// </summary>
    /// <remarks>
    /// The rows held out by ValidationFraction (a seeded random split) also set <see cref="RealNvpTransformer.Threshold"/>;
    /// with ValidationFraction 0 the training rows choose the best epoch and set the threshold.
    /// </remarks>
    public sealed class RealNvpOptions : GenerativeModelOptions
    {
        /// <summary>Creates the options with their defaults.</summary>
        public RealNvpOptions()
            : base(maxEpochs: 200, batchSize: 256, learningRate: 1e-3f, learningRateSchedule: LearningRateSchedule.Constant,
                weightDecay: 1e-4f, gradientClipNorm: 10f, earlyStoppingPatience: 20, scoringBatchSize: 1024)
        {
        }

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

        // ----- training (besides the shared options) -----

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

        /// <summary>
        /// Target false-positive rate of <see cref="RealNvpTransformer.Threshold"/>: the threshold is the (1 - rate)
        /// quantile of the held-out training rows' scores, so about this fraction of normal rows get PredictedLabel = true. Default 0.01.
        /// </summary>
        public float AnomalyFalsePositiveRate { get; set; } = 0.01f;

        internal int ResolveHiddenLayerSize(int features) => HiddenLayerSize ?? Math.Min(256, Math.Max(64, 8 * features));

        internal override void Validate()
        {
            CheckColumnName(FeatureColumnName, nameof(FeatureColumnName));
            Check(NumberOfCouplingLayers >= 1, nameof(NumberOfCouplingLayers), NumberOfCouplingLayers, ">= 1");
            Check(HiddenLayerSize is null || HiddenLayerSize >= 1, nameof(HiddenLayerSize), HiddenLayerSize, "null or >= 1");
            Check(NumberOfHiddenLayers >= 1, nameof(NumberOfHiddenLayers), NumberOfHiddenLayers, ">= 1");
            Check(Enum.IsDefined(Activation), nameof(Activation), Activation, "a defined ConditionerActivation");
            Check(Enum.IsDefined(Normalization), nameof(Normalization), Normalization, "a defined FlowNormalization");
            Check(TrainingNoise >= 0 && float.IsFinite(TrainingNoise), nameof(TrainingNoise), TrainingNoise, ">= 0");
            Check(TrimFraction >= 0 && TrimFraction < 1, nameof(TrimFraction), TrimFraction, "in [0, 1)");
            Check(AnomalyFalsePositiveRate > 0 && AnomalyFalsePositiveRate < 1, nameof(AnomalyFalsePositiveRate), AnomalyFalsePositiveRate, "in (0, 1)");
            base.Validate();
        }
    }
}
