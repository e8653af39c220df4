using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Generative;
using Samples.Cli;
using Samples.Reporting;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>
    /// Language modelling of a text file: trains a char-RNN (one row per line, as one stream or as independent rows),
    /// reports the held-out loss against context-free baselines, saves, reloads and checks the model, then generates text.
    /// </summary>
    internal static class TextCommand
    {
        public const string Name = "text";
        public const string Description = "Train a character-level language model (char-RNN) on a text file, report its held-out loss, generate text";

        /// <summary>Lines the save/reload check scores with both models.</summary>
        private const int CheckedLines = 200;
        /// <summary>Rows mode: how many rows are generated.</summary>
        private const int GeneratedRows = 5;
        /// <summary>Stream mode: the default prompt is the start of the first line, up to this many characters.</summary>
        private const int DefaultPromptLength = 20;

        public static Command Create(HelpWithNotes help)
        {
            var command = new Command(Name, Description);
            var options = new TextOptions();
            options.AddTo(command);
            command.SetAction(result => Run(options.Read(result)));
            help.Add(command, TextOptions.Notes);
            return command;
        }

        private static int Run(TextSettings settings)
        {
            var clock = Stopwatch.StartNew();
            var ml = new MLContext(seed: settings.Seed);
            TorchThreads.Use(settings.Threads);

            var file = LoadFile(settings);
            CreateOutputDirectory(settings.OutputDirectory);
            var data = ml.Data.LoadFromEnumerable(file.Lines.Select(line => new TextRow { Text = line }));

            // Disposing the transformers releases the networks' native (libtorch) memory.
            using var model = Train(ml, settings, data);
            ReportLoss(settings, model.TrainingSummary, CharacterStatistics.Of(file.Lines));
            using var loaded = SaveReloadAndCheck(ml, settings, model, data, file);
            Generate(settings, loaded, file);

            Console.WriteLine();
            Console.WriteLine($"Score the lines of a file with this model: dotnet run --project src/Samples -- text-score --model {Path.Combine(settings.OutputDirectory, TextSettings.ModelFileName)} --file <file>");
            Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
            return ExitCodes.Success;
        }

        private static TextFile LoadFile(TextSettings settings)
        {
            bool rows = settings.Mode == CharRnnContextMode.Rows;
            var file = TextFile.Read(settings.FilePath, skipBlankLines: rows);
            Console.WriteLine($"Data: {settings.FilePath}");
            Console.WriteLine($"  {file.Lines.Count} lines, {file.CharacterCount} characters{(file.SkippedBlankLines > 0 ? $" ({file.SkippedBlankLines} blank lines skipped)" : "")}.");
            Console.WriteLine(rows
                ? "  Rows mode: every line is an independent row that starts from scratch; a random 10% of them is held out."
                : "  Stream mode: the lines are one running text; the model reads on across line breaks. The last 10% is held out.");
            return file;
        }

        private static void CreateOutputDirectory(string path)
        {
            try { Directory.CreateDirectory(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataException($"cannot create the output folder '{path}': {e.Message}", e);
            }
        }

        private static CharRnnTransformer Train(MLContext ml, TextSettings settings, IDataView data)
        {
            var options = new CharRnnOptions
            {
                TextColumnName = TextRow.TextColumn,
                ContextMode = settings.Mode,
                CellType = settings.Cell,
                HiddenSize = settings.HiddenSize,
                NumberOfLayers = settings.Layers,
                MaxEpochs = settings.Epochs,
                MaxTrainingTime = settings.TimeBudget,
                Seed = settings.Seed,
            };

            Console.WriteLine();
            string budget = settings.TimeBudget is TimeSpan t ? $" or {t.TotalMinutes:0.##} min, whichever comes first" : "";
            Console.WriteLine($"Training a char-RNN ({options.NumberOfLayers} {options.CellType.ToString().ToUpperInvariant()} layer(s) of {options.HiddenSize}; up to {options.MaxEpochs} epochs{budget});");
            Console.WriteLine("  loss = mean -log p(next character) in nats, lower is better; 'valid' is measured on the held-out text.");
            var clock = Stopwatch.StartNew();
            CharRnnTransformer model;
            try
            {
                model = TrainingProgress.Run(ml, () => ml.Generative().CharRnn(options).Fit(data), settings.TimeBudget, lossDecimals: 3);
            }
            catch (InvalidOperationException e)
            {
                // No rows or no characters to learn from: the data's problem, with the library's explanation.
                throw new DataException(e.Message, e);
            }
            Console.WriteLine($"  Trained in {clock.Elapsed.TotalSeconds:F1} s ({model.TrainingSummary.History.Count} epochs); vocabulary {model.Vocabulary.Count} characters.");
            return model;
        }

        private static void ReportLoss(TextSettings settings, TrainingSummary summary, CharacterStatistics statistics)
        {
            Console.WriteLine();
            if (summary.BestLoss is not double loss || summary.BestEpoch == 0)
            {
                Console.WriteLine("No epoch improved on the initial weights: the model is untrained. Give it more time (--minutes) or check the data.");
                return;
            }
            var best = summary.History.First(e => e.Epoch == summary.BestEpoch);
            bool heldOut = best.ValidationLoss is not null;
            Console.WriteLine(heldOut
                ? $"Held-out loss (text the model did not train on), at the best epoch {summary.BestEpoch}:"
                : $"Training loss (too little text to hold any out), at the best epoch {summary.BestEpoch}:");
            Console.WriteLine($"  {loss:F3} nats/char = {loss / Math.Log(2):F3} bits/char (perplexity {Math.Exp(loss):F2}: as unsure as a fair choice among that many characters)");
            Console.WriteLine($"  For reference: character frequencies alone need {statistics.FrequencyBitsPerCharacter:F3} bits/char; a uniform guess among the");
            Console.WriteLine($"  {statistics.DistinctCharacters} distinct characters and the line end {statistics.UniformBitsPerCharacter:F3} bits/char.");
            Console.WriteLine($"  Training ran {summary.History.Count} epoch(s) and stopped: {Reporting.StopReasonText.Describe(summary, settings.Epochs, settings.TimeBudget)}.");
            if (loss / Math.Log(2) >= statistics.FrequencyBitsPerCharacter)
                Console.WriteLine("  The model does not yet beat the character frequencies: it has barely started learning; give it more --minutes or --epochs.");
            else if (summary.StopReason == TrainingStopReason.TimeLimitReached && summary.History.Count < 3)
                Console.WriteLine("  (Only a few passes over the text: a larger --minutes budget usually lowers the loss further.)");
        }

        private static CharRnnTransformer SaveReloadAndCheck(MLContext ml, TextSettings settings, CharRnnTransformer model, IDataView data, TextFile file)
        {
            string path = Path.Combine(settings.OutputDirectory, TextSettings.ModelFileName);
            ml.Model.Save(model, data.Schema, path);
            var loaded = (CharRnnTransformer)ml.Model.Load(path, out _);

            // Lines spread over the whole file, so both the trained-on and the held-out text are checked.
            int step = Math.Max(1, file.Lines.Count / CheckedLines);
            var sample = Enumerable.Range(0, file.Lines.Count).Where(i => i % step == 0).Take(CheckedLines).Select(i => new TextRow { Text = file.Lines[i] }).ToArray();
            var sampleView = ml.Data.LoadFromEnumerable(sample);
            var original = model.Transform(sampleView).GetColumn<float>(CharRnnTransformer.ScoreColumnName).ToArray();
            var reloaded = loaded.Transform(sampleView).GetColumn<float>(CharRnnTransformer.ScoreColumnName).ToArray();
            double maxDifference = original.Zip(reloaded, (a, b) => (double)Math.Abs(a - b)).Max();
            bool sameText = model.Generate(Prompt(settings, file), maxLength: 100, temperature: settings.Temperature, seed: settings.Seed)
                == loaded.Generate(Prompt(settings, file), maxLength: 100, temperature: settings.Temperature, seed: settings.Seed);

            Console.WriteLine();
            Console.WriteLine($"Saved the model to {path} ({new FileInfo(path).Length / 1024.0:F0} KiB) and loaded it back:");
            Console.WriteLine(maxDifference == 0
                ? $"  check passed: the loaded model's scores equal the original's on {sample.Length} lines of the file."
                : $"  CHECK FAILED: the loaded model's scores differ by up to {maxDifference:G3} on {sample.Length} lines.");
            Console.WriteLine(sameText
                ? "  check passed: with the same seed both models generate the same text."
                : "  CHECK FAILED: with the same seed the two models generate different text.");
            return loaded;
        }

        private static void Generate(TextSettings settings, CharRnnTransformer model, TextFile file)
        {
            string prompt = Prompt(settings, file);
            string about = $"temperature {settings.Temperature:0.###}, seed {settings.Seed}";
            Console.WriteLine();
            if (model.ContextMode == CharRnnContextMode.Stream)
            {
                Console.WriteLine(prompt.Length > 0
                    ? $"Generated by the loaded model ({about}), continuing \"{prompt}\":"
                    : $"Generated by the loaded model ({about}):");
                Console.WriteLine();
                string text = model.Generate(prompt, maxLength: settings.Length, temperature: settings.Temperature, seed: settings.Seed);
                foreach (var line in text.Split('\n'))
                    Console.WriteLine("  " + line);
                return;
            }

            Console.WriteLine(prompt.Length > 0
                ? $"{GeneratedRows} rows generated by the loaded model ({about}, then +1 per row), each starting \"{prompt}\":"
                : $"{GeneratedRows} rows generated by the loaded model ({about}, then +1 per row):");
            for (int i = 0; i < GeneratedRows; i++)
            {
                string row = model.Generate(prompt, maxLength: settings.Length, temperature: settings.Temperature, seed: settings.Seed + i);
                Console.WriteLine($"  {i + 1}  {row}");
            }
        }

        /// <summary>--prompt, or by default the start of the first non-blank line (stream mode) or nothing (rows mode).</summary>
        private static string Prompt(TextSettings settings, TextFile file)
        {
            if (settings.Prompt is not null) return settings.Prompt;
            if (settings.Mode == CharRnnContextMode.Rows) return "";
            string first = file.Lines.FirstOrDefault(line => !string.IsNullOrWhiteSpace(line)) ?? "";
            var runes = first.EnumerateRunes().Take(DefaultPromptLength).ToArray();
            return string.Concat(runes.Select(r => r.ToString())).TrimEnd();
        }
    }
}
