using System;
using Microsoft.ML.Generative.PixelModels;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Options of <see cref="PixelRnnEstimator"/>: an autoregressive model of the discrete pixels,
    /// p(x) = prod over sub-pixels (raster order, R, G, B within a pixel) of a softmax over the levels given everything
    /// before. <see cref="Height"/> and <see cref="Width"/> must be set; every other option has a documented default. The
    /// shared training options' defaults here: MaxEpochs 30, BatchSize 32, LearningRate 1e-3, LearningRateSchedule
    /// Cosine, WeightDecay 0, GradientClipNorm 1, ValidationFraction 0.1, EarlyStoppingPatience 5, ScoringBatchSize 64,
    /// and no time budget or weight averaging.
    /// </summary>
    /// <remarks>
    /// <para>Input: as for <see cref="RealNvpImageOptions"/>, a vector of Single with Channels x Height x Width integer
    /// pixel levels per row, in (channel, row, column) order.</para>
    /// <para>The likelihood is exact for the discrete pixels (no dequantization noise): its bits/dim are directly
    /// comparable with a flow's dequantized bits/dim (the discrete likelihood is at least the dequantized bound), as in the
    /// papers.</para>
    /// <para>With a <see cref="LabelColumnName"/> the model is class-conditional (conditional PixelCNN): a learned bias per
    /// class in every layer. Scoring then needs the label column too, and <c>Sample</c> takes a label.</para>
    /// </remarks>
    public sealed class PixelRnnOptions : GenerativeModelOptions
    {
        /// <summary>Creates the options with their defaults.</summary>
        public PixelRnnOptions()
            : base(maxEpochs: 30, batchSize: 32, learningRate: 1e-3f, learningRateSchedule: LearningRateSchedule.Cosine,
                weightDecay: 0f, gradientClipNorm: 1f, earlyStoppingPatience: 5, scoringBatchSize: 64)
        {
        }

        /// <summary>Input column: a vector of Single of length Channels x Height x Width. Default "Pixels".</summary>
        public string FeatureColumnName { get; set; } = "Pixels";

        /// <summary>Colour channels per image: 1 (grey) or 3 (RGB, modelled R, then G given R, then B given R and G). Default 1.</summary>
        public int Channels { get; set; } = 1;

        /// <summary>Image height in pixels. Required.</summary>
        public int Height { get; set; }

        /// <summary>Image width in pixels. Required.</summary>
        public int Width { get; set; }

        /// <summary>Number of distinct pixel values in the input (values 0 .. PixelLevels - 1). Default 256.</summary>
        public int PixelLevels { get; set; } = 256;

        /// <summary>
        /// Model the images with fewer bits per pixel: level l becomes floor(l x 2^bits / PixelLevels), and each softmax
        /// has 2^bits levels. Default null: all PixelLevels levels.
        /// </summary>
        public int? NumberOfBits { get; set; }

        /// <summary>
        /// Optional class label column (a key type, or Int32 / Int64 / UInt32 class ids from 0): a class-conditional model.
        /// Default null: unconditional.
        /// </summary>
        public string LabelColumnName { get; set; }

        /// <summary>
        /// Number of classes of an integer label column. Default null: the key type's count for a key column, else the
        /// largest training label + 1. A label at or above it is refused when scoring.
        /// </summary>
        public int? NumberOfClasses { get; set; }

        // ----- architecture -----

        /// <summary>The network. Default <see cref="PixelRnnArchitecture.GatedPixelCnn"/>.</summary>
        public PixelRnnArchitecture Architecture { get; set; } = PixelRnnArchitecture.GatedPixelCnn;

        /// <summary>Gated layers, or Row LSTM layers. Default 8.</summary>
        public int NumberOfLayers { get; set; } = 8;

        /// <summary>
        /// Units per layer (gated units per stack, or LSTM units). Default 48. A multiple of 16 (oneDNN's convolutions with
        /// other channel counts give NaN gradients or wrong outputs on some CPUs) and of Channels (the colour groups).
        /// </summary>
        public int FeatureMaps { get; set; } = 48;

        /// <summary>Units of the output head's hidden 1x1 convolution. Default 96; a multiple of 16 and of Channels.</summary>
        public int OutputFeatureMaps { get; set; } = 96;

        /// <summary>
        /// Odd kernel size k: the gated layers' vertical kernel is (k/2 + 1) x k and horizontal kernel 1 x (k/2 + 1); the Row
        /// LSTM's first convolution is (k/2 + 1) x k. Default 3.
        /// </summary>
        public int KernelSize { get; set; } = 3;

        /// <summary>Number of levels the model sees: 2^NumberOfBits, or PixelLevels.</summary>
        internal int ModelLevels => NumberOfBits is int b ? 1 << b : PixelLevels;

        internal PixelArchitecture ToArchitecture(int classes) => new PixelArchitecture
        {
            Channels = Channels,
            Height = Height,
            Width = Width,
            Levels = ModelLevels,
            Kind = Architecture == PixelRnnArchitecture.RowLstm ? PixelArchitectureKind.RowLstm : PixelArchitectureKind.GatedPixelCnn,
            FeatureMaps = FeatureMaps,
            OutputFeatureMaps = OutputFeatureMaps,
            Layers = NumberOfLayers,
            KernelSize = KernelSize,
            Classes = classes,
        };

        internal override void Validate()
        {
            CheckColumnName(FeatureColumnName, nameof(FeatureColumnName));
            Check(Channels == 1 || Channels == 3, nameof(Channels), Channels, "1 (grey) or 3 (RGB)");
            Check(Height >= 1, nameof(Height), Height, ">= 1 (set it to the images' height)");
            Check(Width >= 1, nameof(Width), Width, ">= 1 (set it to the images' width)");
            Check((long)Channels * Height * Width <= 1 << 20, nameof(Height), Height, "such that Channels x Height x Width <= 1,048,576");
            Check(PixelLevels >= 2 && PixelLevels <= 65536, nameof(PixelLevels), PixelLevels, "in [2, 65536]");
            Check(NumberOfBits is null || (NumberOfBits >= 1 && (1 << NumberOfBits) <= PixelLevels), nameof(NumberOfBits), NumberOfBits,
                "null or between 1 and log2(PixelLevels)");
            Check(ModelLevels <= 4096, nameof(PixelLevels), PixelLevels, "at most 4096 levels for the model (set NumberOfBits)");
            Check(LabelColumnName is null || !string.IsNullOrWhiteSpace(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "null or a column name");
            Check(NumberOfClasses is null || (NumberOfClasses >= 1 && LabelColumnName is not null), nameof(NumberOfClasses), NumberOfClasses,
                "null, or >= 1 with a LabelColumnName");
            Check(Enum.IsDefined(Architecture), nameof(Architecture), Architecture, "a defined PixelRnnArchitecture");
            Check(NumberOfLayers >= 1, nameof(NumberOfLayers), NumberOfLayers, ">= 1");
            Check(FeatureMaps >= 16 && FeatureMaps % 16 == 0 && FeatureMaps % Channels == 0, nameof(FeatureMaps), FeatureMaps,
                "a multiple of 16 and of Channels (16, 32, ... for grey; 48, 96, ... for RGB): oneDNN's convolutions with other channel counts give NaN gradients or wrong outputs on some CPUs");
            Check(OutputFeatureMaps >= 16 && OutputFeatureMaps % 16 == 0 && OutputFeatureMaps % Channels == 0, nameof(OutputFeatureMaps), OutputFeatureMaps,
                "a multiple of 16 and of Channels");
            Check(KernelSize >= 3 && KernelSize % 2 == 1 && KernelSize <= 15, nameof(KernelSize), KernelSize, "odd, from 3 to 15");
            base.Validate();
        }
    }
}
