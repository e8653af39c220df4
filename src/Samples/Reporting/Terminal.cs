using Spectre.Console;

namespace Samples.Reporting
{
    /// <summary>Where the console output goes, as Spectre.Console detected it when the app started.</summary>
    internal static class Terminal
    {
        /// <summary>
        /// True on an interactive terminal that understands ANSI escape codes: live progress bars and boxed tables. False when
        /// output goes to a file or a pipe (CI logs, tests) or the terminal is "dumb": plain lines, nothing rewritten.
        /// </summary>
        public static bool IsInteractive => AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;
    }
}
