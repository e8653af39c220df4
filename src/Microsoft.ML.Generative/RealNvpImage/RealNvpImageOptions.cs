using System;
using System.ComponentModel;
using Microsoft.ML.Generative.Flows.Image;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Options of <see cref="RealNvpImageEstimator"/>: the multi-scale Real NVP for images (Dinh et al. 2016, section 3.6).
    /// <see cref="Channels"/>, <see cref="Height"/> and <see cref="Width"/> must be set; every other option has a documented
    /// default. The training and execution options shared by every family are on <see cref="GenerativeModelOptions"/>;
    /// their defaults here: MaxEpochs 50, BatchSize 64 (at least 2), LearningRate 1e-3, LearningRateSchedule Cosine,
    /// WeightDecay 0, GradientClipNorm 100, ValidationFraction 0.1, EarlyStoppingPatience 5, ScoringBatchSize 256, and no
    /// time budget or weight averaging.
    /// </summary>
    /// <remarks>
    /// <para>Input: a vector of Single with Channels x Height x Width values per row, in (channel, row, column) order,
    /// holding integer pixel levels 0 .. <see cref="PixelLevels"/> - 1 (0..255 by default). ML.NET's
    /// <c>ml.Transforms.LoadImages</c> + <c>ml.Transforms.ExtractPixels(..., interleavePixelColors: false)</c> (no scaling,
    /// no offset) gives exactly this for a folder of images; see the README.</para>
    /// <para>Which sizes work: every scale but the last squeezes 2x2 pixels into 4 channels, so the height and width it sees
    /// must be even. 28x28 allows up to 3 scales (28, 14, 7), 8x8 up to 4, an odd size only 1. Fit and the estimator's
    /// constructor name the size and the largest number of scales it allows.</para>
    /// <para>The images held out by ValidationFraction (a seeded random split of the training images) choose the best epoch
    /// and give the typical bits/dim behind the <c>TypicalityScore</c> column.</para>
    /// </remarks>
    public sealed class RealNvpImageOptions : GenerativeModelOptions
    {
        /// <summary>Creates the options with their defaults.</summary>
        public RealNvpImageOptions()
            : base(maxEpochs: 50, batchSize: 64, learningRate: 1e-3f, learningRateSchedule: LearningRateSchedule.Cosine,
                weightDecay: 0f, gradientClipNorm: 100f, earlyStoppingPatience: 5, scoringBatchSize: 256)
        {
        }

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
        /// A normalisation flow layer after every coupling, per channel. Default <see cref="FlowNormalization.None"/>.
        /// <see cref="FlowNormalization.BatchNorm"/> is the paper's choice: batch statistics while training, the saved
        /// running averages when scoring (so scores do not depend on the batch). <see cref="FlowNormalization.ActNorm"/>
        /// (Glow) is initialised from training images and then the same map in training and scoring.
        /// </summary>
        public FlowNormalization Normalization { get; set; } = FlowNormalization.None;

        /// <summary>Obsolete: use <see cref="Normalization"/> (true is <see cref="FlowNormalization.BatchNorm"/>, false <see cref="FlowNormalization.None"/>).</summary>
        [Obsolete("Use Normalization = FlowNormalization.BatchNorm (true) or FlowNormalization.None (false).")]
        [EditorBrowsable(EditorBrowsableState.Never)]
        public bool BatchNormLayers
        {
            get => Normalization == FlowNormalization.BatchNorm;
            set => Normalization = value ? FlowNormalization.BatchNorm : FlowNormalization.None;
        }

        /// <summary>Activation of the scale/translation networks. Default <see cref="ConditionerActivation.Relu"/>.</summary>
        public ConditionerActivation Activation { get; set; } = ConditionerActivation.Relu;

        /// <summary>
        /// L2 penalty on the couplings' learned log-scale factors (the paper's L2 regularisation of the scale
        /// parameters), added to the training loss per dimension. Default 5e-5, the paper's value.
        /// </summary>
        public float ScaleL2 { get; set; } = 5e-5f;

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
            Normalization = Normalization,
        };

        /// <summary>
        /// The largest <see cref="NumberOfScales"/> an image of <paramref name="height"/> x <paramref name="width"/> pixels
        /// supports: every scale but the last squeezes 2x2 pixels, so it needs an even height and width (28x28: 3, 8x8: 4,
        /// any odd size: 1).
        /// </summary>
        public static int MaxNumberOfScales(int height, int width) => ImageRealNvpArchitecture.MaxScales(height, width);

        private protected override int MinimumBatchSize => 2;

        internal override void Validate()
        {
            CheckColumnName(FeatureColumnName, nameof(FeatureColumnName));
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
            Check(Enum.IsDefined(Normalization), nameof(Normalization), Normalization, "a defined FlowNormalization");
            Check(ScaleL2 >= 0 && float.IsFinite(ScaleL2), nameof(ScaleL2), ScaleL2, ">= 0");
            base.Validate();
            ImageRealNvpArchitecture.EnsureSupported(Channels, Height, Width, NumberOfScales);
        }
    }
}
