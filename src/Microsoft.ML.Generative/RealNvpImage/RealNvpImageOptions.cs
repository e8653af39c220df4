using System;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Flows.Image;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Options of <see cref="RealNvpImageEstimator"/>: the multi-scale Real NVP for images (Dinh et al. 2016, section 3.6).
    /// <see cref="Channels"/>, <see cref="Height"/> and <see cref="Width"/> must be set; every other field has a documented default.
    /// </summary>
    /// <remarks>
    /// <para>Input: a vector of Single with Channels x Height x Width values per row, in (channel, row, column) order,
    /// holding integer pixel levels 0 .. <see cref="PixelLevels"/> - 1 (0..255 by default). ML.NET's
    /// <c>ml.Transforms.LoadImages</c> + <c>ml.Transforms.ExtractPixels(..., interleavePixelColors: false)</c> (no scaling,
    /// no offset) gives exactly this for a folder of images; see the README.</para>
    /// <para>Which sizes work: every scale but the last squeezes 2x2 pixels into 4 channels, so the height and width it sees
    /// must be even. 28x28 allows up to 3 scales (28, 14, 7), 8x8 up to 4, an odd size only 1. Fit and the estimator's
    /// constructor name the size and the largest number of scales it allows.</para>
    /// </remarks>
    public sealed class RealNvpImageOptions
    {
        /// <summary>Input column: a vector of Single of length Channels x Height x Width. Default "Pixels".</summary>
        public string FeatureColumnName { get; set; } = "Pixels";

        /// <summary>Colour channels per image (1 grey, 3 RGB). Default 1.</summary>
        public int Channels { get; set; } = 1;

        /// <summary>Image height in pixels. Required.</summary>
        public int Height { get; set; }

        /// <summary>Image width in pixels. Required.</summary>
        public int Width { get; set; }

        /// <summary>
        /// Number of distinct pixel values in the input: values must be integers 0 .. PixelLevels - 1. Default 256 (8-bit
        /// images, 0..255); 17 for scikit-learn's 8x8 digits (0..16).
        /// </summary>
        public int PixelLevels { get; set; } = 256;

        /// <summary>
        /// Model the images with fewer bits per pixel, as in the Glow paper's 5-bit experiments: level l becomes
        /// floor(l x 2^bits / PixelLevels), and the model sees 2^bits levels. Default null: model all PixelLevels levels.
        /// LogLikelihood and BitsPerDimension then refer to the reduced images; samples are mapped back to the middle of
        /// each reduced level's range of input values.
        /// </summary>
        public int? NumberOfBits { get; set; }

        /// <summary>
        /// The logit margin alpha of the preprocessing: p = alpha + (1 - 2 alpha) x (pixel + noise) / levels, then
        /// logit(p). Its log-determinant is part of the flow. Default 0.05, as in the paper.
        /// </summary>
        public float LogitAlpha { get; set; } = 0.05f;

        // ----- architecture -----

        /// <summary>
        /// Number of scales. Every scale but the last: 3 checkerboard couplings, squeeze, 3 channel-wise couplings, then
        /// half of the channels are factored out as latents; the last scale: 4 checkerboard couplings. Default 2.
        /// </summary>
        public int NumberOfScales { get; set; } = 2;

        /// <summary>Residual blocks in each coupling's scale/translation network. Default 2.</summary>
        public int NumberOfResidualBlocks { get; set; } = 2;

        /// <summary>
        /// Feature maps of the scale/translation networks' convolutions. Default 32. A multiple of 16: with other
        /// channel counts oneDNN's convolutions return NaN gradients or wrong outputs on some CPUs (docs/ONEDNN-KERNEL-BUGS.md).
        /// </summary>
        public int FeatureMaps { get; set; } = 32;

        /// <summary>Batch normalisation inside the scale/translation networks, as in the paper. Default false.</summary>
        public bool ConditionerBatchNorm { get; set; }

        /// <summary>
        /// A batch-normalisation flow layer after every coupling, as in the paper: batch statistics while training, the
        /// saved running averages when scoring (so scores do not depend on the batch). Default false.
        /// </summary>
        public bool BatchNormLayers { get; set; }

        /// <summary>Activation of the scale/translation networks. Default <see cref="ConditionerActivation.Relu"/>.</summary>
        public ConditionerActivation Activation { get; set; } = ConditionerActivation.Relu;

        /// <summary>
        /// L2 penalty on the couplings' learned log-scale factors (the paper's L2 regularisation of the scale
        /// parameters), added to the training loss per dimension. Default 5e-5, the paper's value.
        /// </summary>
        public float ScaleL2 { get; set; } = 5e-5f;

        // ----- training -----

        /// <summary>Maximum number of passes over the training images. Default 50.</summary>
        public int MaxEpochs { get; set; } = 50;

        /// <summary>
        /// Wall-clock budget for Fit (training steps and validation passes). Default null: none. When set, the cosine
        /// schedule runs over the budget and training ends after the epoch in which it is used up, keeping the best
        /// completed epoch.
        /// </summary>
        public TimeSpan? MaxTrainingTime { get; set; }

        /// <summary>Images per optimizer step. Default 64.</summary>
        public int BatchSize { get; set; } = 64;

        /// <summary>AdamW learning rate. Default 1e-3.</summary>
        public float LearningRate { get; set; } = 1e-3f;

        /// <summary>How the learning rate changes over training. Default <see cref="Generative.LearningRateSchedule.Cosine"/>.</summary>
        public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Cosine;

        /// <summary>AdamW decoupled weight decay. Default 0.</summary>
        public float WeightDecay { get; set; }

        /// <summary>
        /// Clip the global gradient norm to this value; 0 disables clipping. Default 100. With clipping on, a step whose
        /// gradient is NaN or infinite is skipped and counted in <see cref="Training.TrainingSummary.SkippedSteps"/>.
        /// </summary>
        public float GradientClipNorm { get; set; } = 100f;

        /// <summary>Fraction of the training images held out (seeded random split) to choose the best epoch and stop early. Default 0.1.</summary>
        public float ValidationFraction { get; set; } = 0.1f;

        /// <summary>Stop after this many epochs without a better validation loss, keeping the best weights; 0 never stops early. Default 5.</summary>
        public int EarlyStoppingPatience { get; set; } = 5;

        /// <summary>Seed of weight initialisation, the validation split, shuffling and dequantization noise. Default null: drawn from the MLContext's seed.</summary>
        public int? Seed { get; set; }

        // ----- execution -----

        /// <summary>
        /// TorchSharp intra-op threads during Fit (process-wide in TorchSharp; restored afterwards). Default null: leave
        /// the process's setting unchanged.
        /// </summary>
        public int? NumberOfThreads { get; set; }

        /// <summary>"cpu" (default) or "cuda" / "cuda:N" to train on a GPU (needs a CUDA build of libtorch in the application).</summary>
        public string Device { get; set; } = "cpu";

        /// <summary>Images scored per model call inside a cursor. Default 256.</summary>
        public int ScoringBatchSize { get; set; } = 256;

        /// <summary>Number of levels the model sees: 2^NumberOfBits, or PixelLevels.</summary>
        internal int ModelLevels => NumberOfBits is int b ? 1 << b : PixelLevels;

        internal ImageRealNvpArchitecture Architecture() => new ImageRealNvpArchitecture
        {
            Channels = Channels,
            Height = Height,
            Width = Width,
            Scales = NumberOfScales,
            FeatureMaps = FeatureMaps,
            ResidualBlocks = NumberOfResidualBlocks,
            Activation = Activation,
            ConditionerBatchNorm = ConditionerBatchNorm,
            BatchNormAfterCouplings = BatchNormLayers,
        };

        internal void Validate()
        {
            static void Check(bool ok, string name, object value, string expected)
            {
                if (!ok) throw new ArgumentOutOfRangeException(name, value, $"RealNvpImageOptions.{name} must be {expected}.");
            }
            if (string.IsNullOrWhiteSpace(FeatureColumnName)) throw new ArgumentException("RealNvpImageOptions.FeatureColumnName must be a column name.", nameof(FeatureColumnName));
            Check(Channels >= 1, nameof(Channels), Channels, ">= 1");
            Check(Height >= 1, nameof(Height), Height, ">= 1 (set it to the images' height)");
            Check(Width >= 1, nameof(Width), Width, ">= 1 (set it to the images' width)");
            Check((long)Channels * Height * Width <= 1 << 24, nameof(Height), Height, "such that Channels x Height x Width <= 16,777,216");
            Check(PixelLevels >= 2 && PixelLevels <= 65536, nameof(PixelLevels), PixelLevels, "in [2, 65536]");
            Check(NumberOfBits is null || (NumberOfBits >= 1 && (1 << NumberOfBits) <= PixelLevels), nameof(NumberOfBits), NumberOfBits,
                "null or between 1 and log2(PixelLevels)");
            Check(LogitAlpha > 0 && LogitAlpha < 0.5f, nameof(LogitAlpha), LogitAlpha, "in (0, 0.5)");
            Check(NumberOfScales >= 1, nameof(NumberOfScales), NumberOfScales, ">= 1");
            Check(NumberOfResidualBlocks >= 0, nameof(NumberOfResidualBlocks), NumberOfResidualBlocks, ">= 0");
            Check(FeatureMaps >= 16 && FeatureMaps % 16 == 0, nameof(FeatureMaps), FeatureMaps,
                "a multiple of 16 (16, 32, 48, ...): oneDNN's convolutions with other channel counts give NaN gradients or wrong outputs on some CPUs");
            Check(Enum.IsDefined(Activation), nameof(Activation), Activation, "a defined ConditionerActivation");
            Check(ScaleL2 >= 0 && float.IsFinite(ScaleL2), nameof(ScaleL2), ScaleL2, ">= 0");
            Check(MaxEpochs >= 1, nameof(MaxEpochs), MaxEpochs, ">= 1");
            Check(MaxTrainingTime is null || MaxTrainingTime > TimeSpan.Zero, nameof(MaxTrainingTime), MaxTrainingTime, "null or positive");
            Check(BatchSize >= 2, nameof(BatchSize), BatchSize, ">= 2");
            Check(LearningRate > 0 && float.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a finite number > 0");
            Check(Enum.IsDefined(LearningRateSchedule), nameof(LearningRateSchedule), LearningRateSchedule, "a defined LearningRateSchedule");
            Check(WeightDecay >= 0 && float.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, ">= 0");
            Check(GradientClipNorm >= 0 && float.IsFinite(GradientClipNorm), nameof(GradientClipNorm), GradientClipNorm, ">= 0");
            Check(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
            Check(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, ">= 0");
            Check(NumberOfThreads is null || NumberOfThreads >= 1, nameof(NumberOfThreads), NumberOfThreads, "null or >= 1");
            Check(ScoringBatchSize >= 1, nameof(ScoringBatchSize), ScoringBatchSize, ">= 1");
            ImageRealNvpArchitecture.EnsureSupported(Channels, Height, Width, NumberOfScales);
            TorchDevice.Parse(Device);
        }
    }
}
