using System.CommandLine;
using Samples.Cli;
using Samples.Text;

namespace Samples.Commands
{
    /// <summary>
    /// The command line of "text-score", declared for System.CommandLine (which parses it, checks it and writes --help),
    /// and read into <see cref="TextScoreSettings"/>.
    /// </summary>
    internal sealed class TextScoreOptions
    {
        public const string Notes =
            "Score = the mean -log p(character | the characters before it) over a line and its end, shown in bits per character\n" +
            "(higher = more unusual). The command prints the mean over the file and the most unusual lines.\n" +
            "Each character's surprisal is highlighted: coloured backgrounds on a terminal, a line of digits under the text otherwise\n" +
            "(output redirected, --no-color, or the NO_COLOR environment variable set).\n\n" +
            "Exit codes: 0 success, 1 unusable file or model, 2 bad command line.";

        private readonly Option<string> _file = new Option<string>("--file")
        {
            Description = "The lines to score, UTF-8",
            HelpName = "file",
            Required = true,
        }.NotBlank();

        private readonly Option<string> _model = new Option<string>("--model")
        {
            Description = "A model saved by 'text'",
            HelpName = "file",
            DefaultValueFactory = _ => TextScoreSettings.DefaultModel,
        }.NotBlank();

        private readonly Option<int> _top = new Option<int>("--top")
        {
            Description = "How many of the most unusual lines to show",
            HelpName = "n",
            DefaultValueFactory = _ => TextScoreSettings.DefaultTop,
        }.InRange(1, 100_000);

        private readonly Option<int> _threads = new Option<int>("--threads")
        {
            Description = "CPU threads; 0 for one per core",
            HelpName = "n",
            DefaultValueFactory = _ => TorchThreads.Default,
        }.InRange(0, 256);

        private readonly Option<bool> _noColor = new("--no-color")
        {
            Description = "Digits under the characters instead of colours, also on a terminal",
        };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _file, _model, _top, _threads, _noColor })
                command.Options.Add(option);
        }

        public TextScoreSettings Read(ParseResult result) => new()
        {
            FilePath = result.GetValue(_file),
            ModelPath = result.GetValue(_model),
            Top = result.GetValue(_top),
            Threads = result.GetValue(_threads),
            NoColor = result.GetValue(_noColor),
        };
    }
}
