using System;
using Microsoft.ML.Generative;

namespace Samples.Commands
{
    /// <summary>The options of the "text" command, checked (see <see cref="TextOptions"/>).</summary>
    internal sealed class TextSettings
    {
        public const double DefaultMinutes = 5;
        public const int DefaultEpochs = 50, DefaultHiddenSize = 128, DefaultLayers = 2, DefaultSeed = 1, DefaultLength = 500;
        public const double DefaultTemperature = 0.8;
        public const string DefaultOutput = "samples-output";
        public const string ModelFileName = "text-model.zip";

        public string FilePath { get; init; }
        public CharRnnContextMode Mode { get; init; }
        /// <summary>Null: no time budget (epochs and early stopping only).</summary>
        public TimeSpan? TimeBudget { get; init; }
        public int Epochs { get; init; }
        public int HiddenSize { get; init; }
        public int Layers { get; init; }
        public CharRnnCellType Cell { get; init; }
        public int Seed { get; init; }
        /// <summary>0: libtorch's default (one thread per core).</summary>
        public int Threads { get; init; }
        public string OutputDirectory { get; init; }
        /// <summary>Null: chosen from the file (see TextCommand).</summary>
        public string Prompt { get; init; }
        public int Length { get; init; }
        public float Temperature { get; init; }
    }
}
