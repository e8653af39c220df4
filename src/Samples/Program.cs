using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Samples.Cli;
using Samples.Commands;

namespace Samples
{
    /// <summary>
    /// Entry point: "Samples [command] [options]". Without a command it runs the main demo ("tabular" on the
    /// embedded breast-cancer data). New samples are added by writing an ICommand and listing it here.
    /// </summary>
    internal static class Program
    {
        private const string DefaultCommand = "tabular";

        private static readonly ICommand[] Commands =
        {
            new TabularCommand(),
            new TextCommand(),
            new TextScoreCommand(),
            new ImagesCommand(),
        };

        private static int Main(string[] args)
        {
            // Numbers print (and the training log parses) the same way whatever the machine's locale.
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            try
            {
                if (args.Length > 0 && (IsHelp(args[0]) || args[0] == "help"))
                {
                    Console.Write(GeneralUsage());
                    return ExitCodes.Success;
                }

                // No command word (nothing, or options only): the default command gets all arguments.
                string name = DefaultCommand;
                string[] rest = args;
                if (args.Length > 0 && !args[0].StartsWith('-'))
                    (name, rest) = (args[0], args[1..]);
                var command = Commands.FirstOrDefault(c => c.Name == name)
                    ?? throw new UsageException($"unknown command '{name}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}.");

                if (rest.Any(IsHelp))
                {
                    Console.Write(command.Usage);
                    return ExitCodes.Success;
                }
                return command.Run(rest);
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

        private static bool IsHelp(string arg) => arg is "--help" or "-h";

        private static string GeneralUsage()
        {
            var lines = Commands.Select(c => $"  {c.Name,-10} {c.Summary}");
            return "Samples of Microsoft.ML.Generative, exact-likelihood generative models for ML.NET:\n" +
                   "Real NVP normalizing flows for numeric tables and images, character-level RNN language models for text.\n\n" +
                   "Usage: dotnet run --project src/Samples -- [command] [options]\n\n" +
                   "Commands:\n" + string.Join("\n", lines) + "\n\n" +
                   $"Without a command, runs '{DefaultCommand}' on the built-in breast-cancer data.\n" +
                   "'<command> --help' shows a command's options.\n";
        }
    }
}
