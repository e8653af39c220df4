using System;
using System.CommandLine;
using Microsoft.ML.Generative;
using Samples.Cli;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>
    /// The command line of "text", declared for System.CommandLine (which parses it, checks it and writes --help),
    /// and read into <see cref="TextSettings"/>.
    /// </summary>
    internal sealed class TextOptions
    {
        public const string Notes =
            "The model reads each line as a row (one running text in stream mode), reports the held-out loss in nats and bits per\n" +
            "character next to two references (character frequencies, a uniform guess), saves it, reloads it, checks that both\n" +
            "score and generate alike, and generates text.\n" +
            "Score unusual lines of another file with the saved model: 'text-score'.\n" +
            "Threads: the default 1 is deliberate; on a busy machine more threads can make training many times slower.\n\n" +
            "Exit codes: 0 success, 1 unusable file or data, 2 bad command line.";

        private readonly Option<string> _file = new Option<string>("--file")
        {
            Description = "The training text, UTF-8, one row per line",
            HelpName = "file",
            Required = true,
        }.NotBlank();

        private readonly Option<string> _mode = new Option<string>("--mode")
        {
            Description = "stream: the lines are one running text, e.g. a book; the model carries its state across line breaks and the " +
                          "last 10% of the text is held out. rows: each non-blank line is an independent row, e.g. log lines or names; " +
                          "a random 10% of the rows is held out",
            DefaultValueFactory = _ => "stream",
        }.AcceptOnlyFromAmong("stream", "rows");

        private readonly Option<double> _minutes = new Option<double>("--minutes")
        {
            Description = "Training time budget in minutes, e.g. 0.5; 0 for none",
            HelpName = "m",
            DefaultValueFactory = _ => TextSettings.DefaultMinutes,
        }.InRange(0, 100_000);

        private readonly Option<int> _epochs = new Option<int>("--epochs")
        {
            Description = "Maximum passes over the text; early stopping may end sooner",
            HelpName = "n",
            DefaultValueFactory = _ => TextSettings.DefaultEpochs,
        }.InRange(1, 100_000);

        private readonly Option<int> _hidden = new Option<int>("--hidden")
        {
            Description = "Size of each recurrent layer's state",
            HelpName = "n",
            DefaultValueFactory = _ => TextSettings.DefaultHiddenSize,
        }.InRange(1, 4096);

        private readonly Option<int> _layers = new Option<int>("--layers")
        {
            Description = "Stacked recurrent layers",
            HelpName = "n",
            DefaultValueFactory = _ => TextSettings.DefaultLayers,
        }.InRange(1, 16);

        private readonly Option<string> _cell = new Option<string>("--cell")
        {
            Description = "The recurrent cell: lstm, gru or vanilla (tanh)",
            DefaultValueFactory = _ => "lstm",
        }.AcceptOnlyFromAmong("lstm", "gru", "vanilla");

        private readonly Option<int> _seed = new Option<int>("--seed")
        {
            Description = "Seed of the training (weights, order, held-out rows) and of the generated text",
            HelpName = "n",
            DefaultValueFactory = _ => TextSettings.DefaultSeed,
        }.InRange(0);

        private readonly Option<int> _threads = new Option<int>("--threads")
        {
            Description = "CPU threads; 0 for one per core",
            HelpName = "n",
            DefaultValueFactory = _ => TorchThreads.Default,
        }.InRange(0, 256);

        private readonly Option<string> _output = new Option<string>("--output")
        {
            Description = $"Where {TextSettings.ModelFileName} goes",
            HelpName = "dir",
            DefaultValueFactory = _ => TextSettings.DefaultOutput,
        }.NotBlank();

        // Any prompt is valid, even empty or white space.
        private readonly Option<string> _prompt = new("--prompt")
        {
            Description = "Text the generated text continues (default: the start of the file's first line in stream mode, nothing in rows mode)",
            HelpName = "text",
        };

        private readonly Option<int> _length = new Option<int>("--length")
        {
            Description = "Characters to generate (in rows mode the most per row)",
            HelpName = "n",
            DefaultValueFactory = _ => TextSettings.DefaultLength,
        }.InRange(0, 1_000_000);

        private readonly Option<double> _temperature = new Option<double>("--temperature")
        {
            Description = "Below 1: safer, more repetitive text; above 1: wilder; 0: always the most likely character",
            HelpName = "t",
            DefaultValueFactory = _ => TextSettings.DefaultTemperature,
        }.InRange(0, 100);

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _file, _mode, _minutes, _epochs, _hidden, _layers, _cell, _seed, _threads, _output, _prompt, _length, _temperature })
                command.Options.Add(option);
        }

        public TextSettings Read(ParseResult result)
        {
            double minutes = result.GetValue(_minutes);
            return new TextSettings
            {
                FilePath = result.GetValue(_file),
                Mode = result.GetValue(_mode) == "rows" ? CharRnnContextMode.Rows : CharRnnContextMode.Stream,
                TimeBudget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : null,
                Epochs = result.GetValue(_epochs),
                HiddenSize = result.GetValue(_hidden),
                Layers = result.GetValue(_layers),
                Cell = result.GetValue(_cell) switch
                {
                    "gru" => CharRnnCellType.Gru,
                    "vanilla" => CharRnnCellType.Vanilla,
                    _ => CharRnnCellType.Lstm,
                },
                Seed = result.GetValue(_seed),
                Threads = result.GetValue(_threads),
                OutputDirectory = result.GetValue(_output),
                Prompt = result.GetValue(_prompt),
                Length = result.GetValue(_length),
                Temperature = (float)result.GetValue(_temperature),
            };
        }
    }
}
