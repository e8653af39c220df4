using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Generative;
using Samples.Cli;
using Samples.Reporting;
using Samples.Text;
using Spectre.Console;

namespace Samples.Commands
{
    /// <summary>
    /// Anomaly detection on text lines: scores every line of a file with a char-RNN saved by "text" and shows the most
    /// unusual ones, with the characters that surprised the model highlighted.
    /// </summary>
    internal static class TextScoreCommand
    {
        public const string Name = "text-score";
        public const string Description = "Find the most unusual lines of a text file with a model saved by 'text'";

        /// <summary>Wrapping width of highlighted lines when output is not a terminal.</summary>
        private const int PlainWidth = 100;
        private const string Indent = "    ";

        public static Command Create(HelpWithNotes help)
        {
            var command = new Command(Name, Description);
            var options = new TextScoreOptions();
            options.AddTo(command);
            command.SetAction(result => Run(options.Read(result)));
            help.Add(command, TextScoreOptions.Notes);
            return command;
        }

        private static int Run(TextScoreSettings settings)
        {
            var ml = new MLContext(seed: 1);
            TorchThreads.Use(settings.Threads);
            using var model = CharRnnModelFile.Load(ml, settings.ModelPath);
            DescribeModel(settings, model);
            var file = TextFile.Read(settings.FilePath, skipBlankLines: true);

            // The model reads the column it was trained on; rename this sample's Text column to match.
            var schema = SchemaDefinition.Create(typeof(TextRow));
            schema[TextRow.TextColumn].ColumnName = model.TextColumnName;
            var data = ml.Data.LoadFromEnumerable(file.Lines.Select(line => new TextRow { Text = line }), schema);
            var (scores, logLikelihoods) = Score(model.Transform(data), file.Lines.Count);

            ReportFile(file, model, scores, logLikelihoods);
            ShowMostUnusual(settings, file, model, scores);
            return ExitCodes.Success;
        }

        /// <summary>Score and LogLikelihood of every row, in one pass (each GetColumn call would run the model again).</summary>
        private static (float[] scores, float[] logLikelihoods) Score(IDataView scored, int rows)
        {
            var scores = new float[rows];
            var logLikelihoods = new float[rows];
            var scoreColumn = scored.Schema[CharRnnTransformer.ScoreColumnName];
            var logLikelihoodColumn = scored.Schema[CharRnnTransformer.LogLikelihoodColumnName];
            using var cursor = scored.GetRowCursor(new[] { scoreColumn, logLikelihoodColumn });
            var getScore = cursor.GetGetter<float>(scoreColumn);
            var getLogLikelihood = cursor.GetGetter<float>(logLikelihoodColumn);
            for (int i = 0; cursor.MoveNext(); i++)
            {
                getScore(ref scores[i]);
                getLogLikelihood(ref logLikelihoods[i]);
            }
            return (scores, logLikelihoods);
        }

        private static void DescribeModel(TextScoreSettings settings, CharRnnTransformer model)
        {
            var summary = model.TrainingSummary;
            Console.WriteLine($"Model: {settings.ModelPath}");
            Console.Write($"  char-RNN, {model.ContextMode} mode, {model.Vocabulary.Count} known characters");
            if (summary.BestLoss is double loss)
                Console.Write($"; trained {summary.History.Count} epoch(s), best {(summary.History.Any(e => e.ValidationLoss is not null) ? "held-out" : "training")} loss {Bits(loss):F3} bits/char");
            Console.WriteLine(".");
        }

        private static void ReportFile(TextFile file, CharRnnTransformer model, float[] scores, float[] logLikelihoods)
        {
            var known = new HashSet<string>(model.Vocabulary);
            long characters = file.Lines.Sum(line => (long)line.EnumerateRunes().Count());
            long unknown = file.Lines.Sum(line => (long)line.EnumerateRunes().Count(r => !known.Contains(r.ToString())));
            // Per character of the whole file (each line's end counts as one): the usual way to compare language models.
            double fileBits = Bits(-logLikelihoods.Sum(v => (double)v) / (characters + file.Lines.Count));
            var sorted = scores.OrderBy(s => s).ToArray();

            Console.WriteLine();
            Console.WriteLine($"File: {file.Path}");
            Console.WriteLine($"  {file.Lines.Count} lines scored{(file.SkippedBlankLines > 0 ? $" ({file.SkippedBlankLines} blank lines skipped)" : "")}, {characters} characters"
                + (unknown > 0 ? $", {unknown} of them not in the model's vocabulary (they make a line look unusual)." : "."));
            Console.WriteLine($"  Mean Score: {Bits(scores.Average(s => (double)s)):F3} bits/char per line (median {Bits(sorted[sorted.Length / 2]):F3}, highest {Bits(sorted[^1]):F3});");
            Console.WriteLine($"  over the whole file: {fileBits:F3} bits/char (total -log2 p of the lines / their characters and line ends).");
            if (model.ContextMode == CharRnnContextMode.Stream)
                Console.WriteLine("  (The model was trained on running text; here each line is scored on its own, from a fresh start.)");
        }

        private static void ShowMostUnusual(TextScoreSettings settings, TextFile file, CharRnnTransformer model, float[] scores)
        {
            // Spectre.Console has detected the terminal: no colours when output is redirected, NO_COLOR is set or TERM is dumb.
            bool colour = !settings.NoColor && Terminal.IsInteractive && AnsiConsole.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;
            var highlighter = new SurprisalHighlighter(colour, (colour ? AnsiConsole.Profile.Width : PlainWidth) - Indent.Length - 1);
            var top = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(settings.Top).ToArray();

            Console.WriteLine();
            Console.WriteLine(top.Length == scores.Length
                ? $"All {top.Length} lines, most unusual first (Score in bits/char):"
                : $"The {top.Length} most unusual lines of {scores.Length} (Score in bits/char):");
            highlighter.WriteLegend("  ");
            for (int rank = 0; rank < top.Length; rank++)
            {
                int i = top[rank];
                var characters = model.ScoreCharacters(file.Lines[i]);
                int unknown = characters.Count(c => c.IsUnknown);
                Console.WriteLine();
                Console.WriteLine($"  #{rank + 1}  line {file.LineNumbers[i]}  {Bits(scores[i]):F3} bits/char" + (unknown > 0 ? $"  ({unknown} unknown character(s))" : ""));
                highlighter.Write(characters, Indent);
            }
        }

        private static double Bits(double nats) => nats / Math.Log(2);
    }
}
