using System.Collections.Generic;

namespace Samples.Commands
{
    /// <summary>One subcommand of the Samples app ("tabular", ...). Program finds commands by <see cref="Name"/>.</summary>
    internal interface ICommand
    {
        /// <summary>The word on the command line.</summary>
        string Name { get; }

        /// <summary>One line for the command list of --help.</summary>
        string Summary { get; }

        /// <summary>The command's own help text: synopsis, options, defaults.</summary>
        string Usage { get; }

        /// <summary>Runs the command; returns the exit code. Throws UsageException / DataException for user errors.</summary>
        int Run(IReadOnlyList<string> args);
    }
}
