using System;
using Microsoft.ML.Generative;

namespace Samples.Commands
{
    /// <summary>The model the "images" command trains.</summary>
    internal enum ImageModel
    {
        /// <summary>The multi-scale Real NVP flow.</summary>
        RealNvp,

        /// <summary>A Pixel RNN (gated PixelCNN or Row LSTM).</summary>
        PixelRnn,
    }

    /// <summary>The options of the "images" command, checked (see <see cref="ImagesOptions"/>).</summary>
    internal sealed class ImagesSettings
    {
        public const double DefaultMinutes = 5, DefaultTestFraction = 0.1, DefaultLearningRate = 1e-3;
        public const int DefaultEpochs = 50, DefaultMaxTestImages = 1000, DefaultScales = 2, DefaultFeatureMaps = 32, DefaultBlocks = 2,
            DefaultBatchSize = 64, DefaultSeed = 1, IdxLevels = 256;
        public const string DefaultOutput = "samples-output/images";
        public const string ModelFileName = "model.zip";

        public ImageModel Model { get; init; }
        /// <summary>Pixel RNN only: the network.</summary>
        public PixelRnnArchitecture Architecture { get; init; }
        /// <summary>Pixel RNN only; null: the library's default.</summary>
        public int? Layers { get; init; }
        public string TrainPath { get; init; }
        /// <summary>Null: the last <see cref="TestFraction"/> of the training file is held out instead.</summary>
        public string TestPath { get; init; }
        public double TestFraction { get; init; }
        /// <summary>0: every image of the training file.</summary>
        public int MaxImages { get; init; }
        /// <summary>0: every test image.</summary>
        public int MaxTestImages { get; init; }
        /// <summary>CSV only: a 0-based column to ignore, negative from the end; null for none.</summary>
        public int? DropColumn { get; init; }
        /// <summary>CSV only: 1 (grey) or 3 (RGB).</summary>
        public int Channels { get; init; }
        /// <summary>CSV only; null: from the row length.</summary>
        public int? Height { get; init; }
        /// <summary>CSV only; null: from the row length.</summary>
        public int? Width { get; init; }
        /// <summary>Null: 256 for IDX, the largest value + 1 for CSV (see ImagesCommand).</summary>
        public int? Levels { get; init; }
        /// <summary>Null: model every level.</summary>
        public int? Bits { get; init; }
        /// <summary>Null: no time budget (epochs and early stopping only).</summary>
        public TimeSpan? TimeBudget { get; init; }
        public int Epochs { get; init; }
        /// <summary>Null: 2, or fewer if the image size does not allow 2.</summary>
        public int? Scales { get; init; }
        /// <summary>Null: the model's default (<see cref="DefaultFeatureMaps"/> for Real NVP, the library's for Pixel RNN).</summary>
        public int? FeatureMaps { get; init; }
        public int Blocks { get; init; }
        /// <summary>Null: the model's default (<see cref="DefaultBatchSize"/> for Real NVP, the library's for Pixel RNN).</summary>
        public int? BatchSize { get; init; }
        public float LearningRate { get; init; }
        public int Seed { get; init; }
        /// <summary>0: libtorch's default (one thread per core).</summary>
        public int Threads { get; init; }
        public string OutputDirectory { get; init; }

        /// <summary>True for a file read as CSV: its name ends in .csv or .csv.gz (any case); every other file is read as IDX.</summary>
        public static bool IsCsv(string path)
            => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase);
    }
}
