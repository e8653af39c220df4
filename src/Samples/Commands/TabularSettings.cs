using System.Collections.Generic;
using Samples.Cli;

namespace Samples.Commands
{
    /// <summary>The options of the "tabular" command, parsed and checked.</summary>
    internal sealed class TabularSettings
    {
        public const int DefaultEpochs = 150, DefaultSeed = 1, DefaultCouplingLayers = 4, DefaultHiddenSize = 64;
        public const string DefaultOutput = "samples-output";

        /// <summary>Null: the embedded breast-cancer data.</summary>
        public string CsvPath { get; private init; }
        public string LabelColumn { get; private init; }
        /// <summary>Null: every numeric column except the label.</summary>
        public IReadOnlyList<string> FeatureColumns { get; private init; }
        public char Separator { get; private init; }
        public bool HasHeader { get; private init; }
        public string OutputDirectory { get; private init; }
        public int Epochs { get; private init; }
        public int Seed { get; private init; }
        public int CouplingLayers { get; private init; }
        public int HiddenSize { get; private init; }

        public static string Usage =>
            "Usage: dotnet run --project src/Samples -- tabular [options]\n\n" +
            "Anomaly detection on a numeric table with a Real NVP flow, compared with ML.NET's RandomizedPca.\n" +
            "Without --csv it uses the built-in breast-cancer data (malignant = anomaly).\n\n" +
            "Options:\n" +
            "  --csv <file>             your own delimited text file instead of the built-in data\n" +
            "  --label <column>         column with 1/true = anomaly, 0/false = normal; the flow trains on normal\n" +
            "                           rows only and the ROC-AUC is reported. Without it: density scoring only.\n" +
            "  --features <a,b,c>       feature columns (default: every numeric column except the label)\n" +
            "  --separator <char>       field separator, e.g. ',' ';' or 'tab' (default ',')\n" +
            "  --has-header <bool>      whether the first line names the columns (default true; if false they are col1, col2, ...)\n" +
            $"  --output <dir>           where model.zip, synthetic.csv and roc.png go (default ./{DefaultOutput})\n" +
            $"  --epochs <n>             maximum training epochs; early stopping may end sooner (default {DefaultEpochs})\n" +
            $"  --seed <n>               seed of the split, the training and the baseline (default {DefaultSeed})\n" +
            $"  --coupling-layers <n>    affine coupling layers of the flow (default {DefaultCouplingLayers})\n" +
            $"  --hidden-size <n>        width of each coupling's hidden layers (default {DefaultHiddenSize})\n" +
            "  --help                   this text\n\n" +
            "Exit codes: 0 success, 1 unusable file or data, 2 bad command line.\n";

        public static TabularSettings Parse(IReadOnlyList<string> args)
        {
            var parsed = ParsedArguments.Parse(args,
                valueOptions: new[] { "csv", "label", "features", "separator", "has-header", "output", "epochs", "seed", "coupling-layers", "hidden-size" },
                flags: new string[0]);
            string csv = parsed.GetString("csv");
            if (csv is null)
                foreach (var csvOnly in new[] { "label", "features", "separator", "has-header" })
                    if (parsed.Has(csvOnly))
                        throw new UsageException($"option --{csvOnly} only applies together with --csv.");

            return new TabularSettings
            {
                CsvPath = csv,
                LabelColumn = parsed.GetString("label"),
                FeatureColumns = parsed.GetList("features"),
                Separator = ParseSeparator(parsed.GetString("separator", ",")),
                HasHeader = parsed.GetBool("has-header", true),
                OutputDirectory = parsed.GetString("output", DefaultOutput),
                Epochs = parsed.GetInt("epochs", DefaultEpochs, min: 1, max: 100_000),
                Seed = parsed.GetInt("seed", DefaultSeed, min: 0),
                CouplingLayers = parsed.GetInt("coupling-layers", DefaultCouplingLayers, min: 1, max: 64),
                HiddenSize = parsed.GetInt("hidden-size", DefaultHiddenSize, min: 1, max: 4096),
            };
        }

        private static char ParseSeparator(string text) => text switch
        {
            "tab" or "\\t" or "\t" => '\t',
            _ when text.Length == 1 && text != "\"" => text[0],
            _ => throw new UsageException($"option --separator expects one character (or 'tab'), not '{text}'."),
        };
    }
}
