using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.Generative;
using Samples.Cli;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>The options of the "text" command, parsed and checked.</summary>
    internal sealed class TextSettings
    {
        public const double DefaultMinutes = 5;
        public const int DefaultEpochs = 50, DefaultHiddenSize = 128, DefaultLayers = 2, DefaultSeed = 1, DefaultLength = 500;
        public const float DefaultTemperature = 0.8f;
        public const string DefaultOutput = "samples-output";
        public const string ModelFileName = "text-model.zip";

        public string FilePath { get; private init; }
        public CharRnnContextMode Mode { get; private init; }
        /// <summary>Null: no time budget (epochs and early stopping only).</summary>
        public TimeSpan? TimeBudget { get; private init; }
        public int Epochs { get; private init; }
        public int HiddenSize { get; private init; }
        public int Layers { get; private init; }
        public CharRnnCellType Cell { get; private init; }
        public int Seed { get; private init; }
        /// <summary>0: libtorch's default (one thread per core).</summary>
        public int Threads { get; private init; }
        public string OutputDirectory { get; private init; }
        /// <summary>Null: chosen from the file (see TextCommand).</summary>
        public string Prompt { get; private init; }
        public int Length { get; private init; }
        public float Temperature { get; private init; }

        public static string Usage =>
            "Usage: dotnet run --project src/Samples -- text --file <file> [options]\n\n" +
            "Trains a character-level language model (char-RNN) on a UTF-8 text file, one row per line, reports how\n" +
            "well it predicts held-out text (nats and bits per character), saves it, reloads it and generates text.\n" +
            "Score unusual lines of another file with the saved model: 'text-score'.\n\n" +
            "Options:\n" +
            "  --file <file>            the training text (required)\n" +
            "  --mode <stream|rows>     stream: the lines are one running text, e.g. a book (default); the model carries\n" +
            "                           its state across line breaks and the last 10% of the text is held out.\n" +
            "                           rows: each non-blank line is an independent row, e.g. log lines or names;\n" +
            "                           a random 10% of the rows is held out.\n" +
            $"  --minutes <m>            training time budget in minutes, e.g. 0.5; 0 for none (default {DefaultMinutes})\n" +
            $"  --epochs <n>             maximum passes over the text; early stopping may end sooner (default {DefaultEpochs})\n" +
            $"  --hidden <n>             size of each recurrent layer's state (default {DefaultHiddenSize})\n" +
            $"  --layers <n>             stacked recurrent layers (default {DefaultLayers})\n" +
            "  --cell <type>            the recurrent cell: lstm, gru or vanilla (tanh) (default lstm)\n" +
            $"  --seed <n>               seed of the training (weights, order, held-out rows) and of the generated text (default {DefaultSeed})\n" +
            "  --threads <n>            CPU threads; 0 for one per core (default 1: on a busy machine more threads\n" +
            "                           can make training many times slower)\n" +
            $"  --output <dir>           where {ModelFileName} goes (default ./{DefaultOutput})\n" +
            "  --prompt <text>          text the generated text continues (default: the start of the file's first\n" +
            "                           line in stream mode, nothing in rows mode)\n" +
            $"  --length <n>             characters to generate (default {DefaultLength}; in rows mode the most per row)\n" +
            $"  --temperature <t>        below 1: safer, more repetitive text; above 1: wilder; 0: always the most likely\n" +
            $"                           character (default {DefaultTemperature.ToString(CultureInfo.InvariantCulture)})\n" +
            "  --help                   this text\n\n" +
            "Exit codes: 0 success, 1 unusable file or data, 2 bad command line.\n";

        public static TextSettings Parse(IReadOnlyList<string> args)
        {
            var parsed = ParsedArguments.Parse(args,
                valueOptions: new[] { "file", "mode", "minutes", "epochs", "hidden", "layers", "cell", "seed", "threads", "output", "prompt", "length", "temperature" },
                flags: new string[0]);
            string file = parsed.GetString("file") ?? throw new UsageException("option --file is required: the text to train on.");
            double minutes = parsed.GetNumber("minutes", DefaultMinutes, min: 0, max: 100_000);

            return new TextSettings
            {
                FilePath = file,
                Mode = parsed.GetString("mode", "stream") switch
                {
                    "stream" => CharRnnContextMode.Stream,
                    "rows" => CharRnnContextMode.Rows,
                    var other => throw new UsageException($"option --mode expects stream or rows, not '{other}'."),
                },
                TimeBudget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : null,
                Epochs = parsed.GetInt("epochs", DefaultEpochs, min: 1, max: 100_000),
                HiddenSize = parsed.GetInt("hidden", DefaultHiddenSize, min: 1, max: 4096),
                Layers = parsed.GetInt("layers", DefaultLayers, min: 1, max: 16),
                Cell = parsed.GetString("cell", "lstm") switch
                {
                    "lstm" => CharRnnCellType.Lstm,
                    "gru" => CharRnnCellType.Gru,
                    "vanilla" => CharRnnCellType.Vanilla,
                    var other => throw new UsageException($"option --cell expects lstm, gru or vanilla, not '{other}'."),
                },
                Seed = parsed.GetInt("seed", DefaultSeed, min: 0),
                Threads = parsed.GetInt("threads", TorchThreads.Default, min: 0, max: 256),
                OutputDirectory = parsed.GetString("output", DefaultOutput),
                // Any prompt is valid, even empty or white space: GetString would reject those.
                Prompt = parsed.Has("prompt") ? PromptValue(args) : null,
                Length = parsed.GetInt("length", DefaultLength, min: 0, max: 1_000_000),
                Temperature = (float)parsed.GetNumber("temperature", DefaultTemperature, min: 0, max: 100),
            };
        }

        /// <summary>The raw value of --prompt ("--prompt text" or "--prompt=text"), which may be empty.</summary>
        private static string PromptValue(IReadOnlyList<string> args)
        {
            for (int i = 0; i < args.Count; i++)
            {
                if (args[i].StartsWith("--prompt=", StringComparison.Ordinal)) return args[i]["--prompt=".Length..];
                if (args[i] == "--prompt" && i + 1 < args.Count) return args[i + 1];
            }
            return "";
        }
    }
}
