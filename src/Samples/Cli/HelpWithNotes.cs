using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Linq;

namespace Samples.Cli
{
    /// <summary>
    /// System.CommandLine's generated help, followed by a command's own notes (input formats, exit codes), which the
    /// option list has no place for. It takes over the action of the root command's --help option, which serves the
    /// subcommands too.
    /// </summary>
    internal sealed class HelpWithNotes : SynchronousCommandLineAction
    {
        private readonly HelpAction _help;
        private readonly Dictionary<Command, string> _notes = new();

        private HelpWithNotes(HelpAction help) => _help = help;

        /// <summary>Like the help it wraps: "--help" wins over other mistakes on the same command line.</summary>
        public override bool ClearsParseErrors => true;

        public static HelpWithNotes Install(RootCommand root)
        {
            var option = root.Options.OfType<HelpOption>().Single();
            var action = new HelpWithNotes((HelpAction)option.Action);
            option.Action = action;
            return action;
        }

        /// <summary>Text printed after the help of <paramref name="command"/>.</summary>
        public void Add(Command command, string notes) => _notes[command] = notes;

        public override int Invoke(ParseResult parseResult)
        {
            int exitCode = _help.Invoke(parseResult);
            if (_notes.TryGetValue(parseResult.CommandResult.Command, out var notes))
                parseResult.InvocationConfiguration.Output.WriteLine(notes);
            return exitCode;
        }
    }
}
