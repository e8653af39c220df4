using System;
using System.Collections.Generic;
using System.IO;
using Samples.Cli;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>The options of the "text-score" command, parsed and checked.</summary>
    internal sealed class TextScoreSettings
    {
        public const int DefaultTop = 10;
        public static readonly string DefaultModel = Path.Combine(TextSettings.DefaultOutput, TextSettings.ModelFileName);

        public string ModelPath { get; private init; }
        public string FilePath { get; private init; }
        public int Top { get; private init; }
        /// <summary>0: libtorch's default (one thread per core).</summary>
        public int Threads { get; private init; }
        /// <summary>Plain-text markers instead of ANSI colours, even on a terminal.</summary>
        public bool NoColor { get; private init; }

        public static string Usage =>
            "Usage: dotnet run --project src/Samples -- text-score --file <file> [options]\n\n" +
            "Scores every non-blank line of a UTF-8 text file with a char-RNN saved by 'text': Score = the mean\n" +
            "-log p(character | the characters before it) over the line and its end, shown in bits per character\n" +
            "(higher = more unusual). Prints the mean over the file and the most unusual lines, with each\n" +
            "character's surprisal highlighted: coloured backgrounds on a terminal, digits under the line otherwise.\n\n" +
            "Options:\n" +
            "  --file <file>            the lines to score (required)\n" +
            $"  --model <file>           a model saved by 'text' (default ./{DefaultModel})\n" +
            $"  --top <n>                how many of the most unusual lines to show (default {DefaultTop})\n" +
            "  --threads <n>            CPU threads; 0 for one per core (default 1)\n" +
            "  --no-color               digits under the characters instead of colours, also on a terminal\n" +
            "                           (colours are also off when output is redirected, or NO_COLOR is set)\n" +
            "  --help                   this text\n\n" +
            "Exit codes: 0 success, 1 unusable file or model, 2 bad command line.\n";

        public static TextScoreSettings Parse(IReadOnlyList<string> args)
        {
            var parsed = ParsedArguments.Parse(args, valueOptions: new[] { "file", "model", "top", "threads" }, flags: new[] { "no-color" });
            return new TextScoreSettings
            {
                FilePath = parsed.GetString("file") ?? throw new UsageException("option --file is required: the lines to score."),
                ModelPath = parsed.GetString("model", DefaultModel),
                Top = parsed.GetInt("top", DefaultTop, min: 1, max: 100_000),
                Threads = parsed.GetInt("threads", TorchThreads.Default, min: 0, max: 256),
                NoColor = parsed.Has("no-color"),
            };
        }
    }
}
