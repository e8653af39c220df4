using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.IO;
using System.Linq;
using Samples.Cli;
using Samples.Commands;

namespace Samples
{
    /// <summary>
    /// Entry point: "Samples [command] [options]", parsed by System.CommandLine. Without a command it runs the main demo
    /// ("tabular" on the embedded breast-cancer data): the root command carries the tabular options and action itself.
    /// A new sample is a class with a Create method that returns its Command, listed here.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            // Numbers print (and the training log parses) the same way whatever the machine's locale.
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var root = CreateCommandLine();
            var parsed = root.Parse(args);

            // Mistakes on the command line exit with their own code, so scripts can tell them from bad input files.
            if (parsed.Action is ParseErrorAction parseError)
            {
                // The errors alone, with a pointer to --help, instead of pages of options or far-fetched "did you mean"s.
                parseError.ShowHelp = false;
                parseError.ShowTypoCorrections = false;
                parseError.Invoke(parsed);
                Console.Error.WriteLine($"See '{HelpCommandLine(parsed)}'.");
                return ExitCodes.UsageError;
            }
            if (OptionsBeforeCommand(root, parsed) is string misplaced)
            {
                // "Samples --epochs 5 text ...": options before a command word belong to the default command, and would be ignored.
                Console.Error.WriteLine($"{misplaced} comes before the command '{parsed.CommandResult.Command.Name}': options go after the command word, e.g. 'text --file book.txt'.");
                Console.Error.WriteLine($"See '{HelpCommandLine(parsed)}'.");
                return ExitCodes.UsageError;
            }

            try
            {
                // Our own handler below, not System.CommandLine's: user errors print one line and no stack trace.
                return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"error: {e.Message} (see --help)");
                return ExitCodes.UsageError;
            }
            catch (DataException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.DataError;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Output folder not writable, disk full, ...: a problem of the environment, not a bug.
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.DataError;
            }
        }

        private static RootCommand CreateCommandLine()
        {
            var root = new RootCommand(
                "Samples of Microsoft.ML.Generative, exact-likelihood generative models for ML.NET: Real NVP normalizing flows " +
                "for numeric tables and images, character-level RNN language models for text.");
            var help = HelpWithNotes.Install(root);

            // The default command: the root takes the tabular options and runs it when no command word is given.
            TabularCommand.Define(root, help);
            help.Add(root,
                $"Without a command, runs '{TabularCommand.Name}' with the options above (on the built-in breast-cancer data unless --csv is given).\n" +
                "'<command> --help' shows a command's options. From the repository root: dotnet run --project src/Samples -- [command] [options]\n\n" +
                "Exit codes: 0 success, 1 unusable file or data, 2 bad command line.");

            root.Subcommands.Add(TabularCommand.Create(help));
            root.Subcommands.Add(TextCommand.Create(help));
            root.Subcommands.Add(TextScoreCommand.Create(help));
            root.Subcommands.Add(ImagesCommand.Create(help));

            // "Samples help", as before System.CommandLine: the same as --help.
            var helpWord = new Command("help", "Show this help") { Hidden = true };
            helpWord.SetAction(_ => root.Parse("--help").Invoke());
            root.Subcommands.Add(helpWord);
            return root;
        }

        /// <summary>The first of the root command's own options given before a command word, or null.</summary>
        private static string OptionsBeforeCommand(RootCommand root, ParseResult parsed)
        {
            if (parsed.CommandResult.Command == root) return null;
            var given = root.Options.Where(o => !o.Recursive && parsed.RootCommandResult.GetResult(o) is { Implicit: false });
            return given.FirstOrDefault()?.Name;
        }

        /// <summary>"Samples text --help" for a mistake in the text command's options.</summary>
        private static string HelpCommandLine(ParseResult parsed)
        {
            var command = parsed.CommandResult.Command;
            return command is RootCommand ? "Samples --help" : $"Samples {command.Name} --help";
        }
    }
}
