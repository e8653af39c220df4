using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
using Samples.Cli;

namespace Samples.Commands
{
    /// <summary>
    /// The command line of "tabular", declared for System.CommandLine (which parses it, checks it and writes --help),
    /// and read into <see cref="TabularSettings"/>.
    /// </summary>
    internal sealed class TabularOptions
    {
        public const string Notes =
            "Without --csv it uses the built-in breast-cancer data (malignant = anomaly).\n" +
            "Files written to the output folder: model.zip (the fitted pipeline), synthetic.csv (rows drawn from the flow),\n" +
            "roc.png (ROC curves; labelled data only).\n\n" +
            "Exit codes: 0 success, 1 unusable file or data, 2 bad command line.";

        private readonly Option<string> _csv = new Option<string>("--csv")
        {
            Description = "Your own delimited text file instead of the built-in data",
            HelpName = "file",
        }.NotBlank();

        private readonly Option<string> _label = new Option<string>("--label")
        {
            Description = "Column with 1/true = anomaly, 0/false = normal; the flow trains on normal rows only and the ROC-AUC " +
                          "is reported. Without it: density scoring only",
            HelpName = "column",
        }.NotBlank();

        private readonly Option<string[]> _features = new("--features")
        {
            Description = "Feature columns (default: every numeric column except the label)",
            HelpName = "a,b,c",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = OptionRules.ParseList,
        };

        private readonly Option<char> _separator = new("--separator")
        {
            Description = "Field separator, e.g. ',' ';' or 'tab'",
            HelpName = "char",
            DefaultValueFactory = _ => ',',
            CustomParser = ParseSeparator,
        };

        private readonly Option<string> _hasHeader = new Option<string>("--has-header")
        {
            Description = "Whether the first line names the columns: true/yes/1 or false/no/0 (if false they are col1, col2, ...)",
            HelpName = "bool",
            DefaultValueFactory = _ => "true",
        }.YesOrNo();

        private readonly Option<string> _output = new Option<string>("--output")
        {
            Description = "Where model.zip, synthetic.csv and roc.png go",
            HelpName = "dir",
            DefaultValueFactory = _ => TabularSettings.DefaultOutput,
        }.NotBlank();

        private readonly Option<int> _epochs = new Option<int>("--epochs")
        {
            Description = "Maximum training epochs; early stopping may end sooner",
            HelpName = "n",
            DefaultValueFactory = _ => TabularSettings.DefaultEpochs,
        }.InRange(1, 100_000);

        private readonly Option<int> _seed = new Option<int>("--seed")
        {
            Description = "Seed of the split, the training and the baseline",
            HelpName = "n",
            DefaultValueFactory = _ => TabularSettings.DefaultSeed,
        }.InRange(0);

        private readonly Option<int> _couplingLayers = new Option<int>("--coupling-layers")
        {
            Description = "Affine coupling layers of the flow",
            HelpName = "n",
            DefaultValueFactory = _ => TabularSettings.DefaultCouplingLayers,
        }.InRange(1, 64);

        private readonly Option<int> _hiddenSize = new Option<int>("--hidden-size")
        {
            Description = "Width of each coupling's hidden layers",
            HelpName = "n",
            DefaultValueFactory = _ => TabularSettings.DefaultHiddenSize,
        }.InRange(1, 4096);

        /// <summary>Adds the options and their cross-checks to <paramref name="command"/>.</summary>
        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _csv, _label, _features, _separator, _hasHeader, _output, _epochs, _seed, _couplingLayers, _hiddenSize })
                command.Options.Add(option);
            command.Validators.Add(result =>
            {
                // Options that describe the CSV file would be ignored silently with the built-in data.
                if (result.GetResult(_csv) is not null) return;
                foreach (var csvOnly in new Option[] { _label, _features, _separator, _hasHeader }.Where(o => result.GetResult(o) is { Implicit: false }))
                    result.AddError($"option {csvOnly.Name} only applies together with --csv.");
            });
        }

        public TabularSettings Read(ParseResult result) => new()
        {
            CsvPath = result.GetValue(_csv),
            LabelColumn = result.GetValue(_label),
            // Not given: System.CommandLine returns an empty array for a list option; no list means "every numeric column".
            FeatureColumns = result.GetValue(_features) is { Length: > 0 } features ? features : null,
            Separator = result.GetValue(_separator),
            HasHeader = OptionRules.IsYes(result.GetValue(_hasHeader)),
            OutputDirectory = result.GetValue(_output),
            Epochs = result.GetValue(_epochs),
            Seed = result.GetValue(_seed),
            CouplingLayers = result.GetValue(_couplingLayers),
            HiddenSize = result.GetValue(_hiddenSize),
        };

        private static char ParseSeparator(ArgumentResult result)
        {
            string text = result.Tokens.Single().Value;
            if (text is "tab" or "\\t" or "\t") return '\t';
            if (text.Length == 1 && text != "\"") return text[0];
            result.AddError($"option --separator expects one character (or 'tab'), not '{text}'.");
            return ',';
        }
    }
}
