using System.Collections.Generic;

namespace Samples.Commands
{
    /// <summary>The options of the "tabular" command, checked (see <see cref="TabularOptions"/>).</summary>
    internal sealed class TabularSettings
    {
        public const int DefaultEpochs = 150, DefaultSeed = 1, DefaultCouplingLayers = 4, DefaultHiddenSize = 64;
        public const string DefaultOutput = "samples-output";

        /// <summary>Null: the embedded breast-cancer data.</summary>
        public string CsvPath { get; init; }
        public string LabelColumn { get; init; }
        /// <summary>Null: every numeric column except the label.</summary>
        public IReadOnlyList<string> FeatureColumns { get; init; }
        public char Separator { get; init; }
        public bool HasHeader { get; init; }
        public string OutputDirectory { get; init; }
        public int Epochs { get; init; }
        public int Seed { get; init; }
        public int CouplingLayers { get; init; }
        public int HiddenSize { get; init; }
    }
}
