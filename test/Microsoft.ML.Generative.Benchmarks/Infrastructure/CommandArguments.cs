using System.Globalization;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>
/// The parsed command line: a command name followed by <c>--name value</c> options and <c>--flag</c> switches.
/// Every option a command reads is recorded, so an unknown (misspelled) option is reported instead of ignored.
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    private CommandArguments(string command, string[] raw)
    {
        Command = command;
        Raw = raw;
    }

    /// <summary>The command (anomaly, speed, memory), lower case; empty when none was given.</summary>
    public string Command { get; }

    /// <summary>The arguments as given, for the "produced by" line of the reports.</summary>
    public string[] Raw { get; }

    public static CommandArguments Parse(string[] args)
    {
        var line = new CommandArguments(args.Length > 0 ? args[0].ToLowerInvariant() : "", args);
        for (int i = 1; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length < 3)
                throw new ArgumentException($"Unexpected argument '{a}'; options look like --name value or --flag.");
            string name = a[2..];
            bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            line._options[name] = hasValue ? args[++i] : "true";
        }
        return line;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var v) && v != "false";
    }

    public string String(string name, string defaultValue = null)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var v) ? v : defaultValue;
    }

    public int Int(string name, int defaultValue)
    {
        string v = String(name);
        if (v is null) return defaultValue;
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
            ? n : throw new ArgumentException($"--{name} expects an integer, got '{v}'.");
    }

    /// <summary>A comma-separated list, or <paramref name="defaultValue"/> when the option is absent.</summary>
    public string[] List(string name, params string[] defaultValue)
    {
        string v = String(name);
        return v is null ? defaultValue : v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Throws, naming the replacement, when an option that a command no longer has was given.</summary>
    public void RejectRetired(string name, string replacement)
    {
        if (_options.ContainsKey(name))
            throw new ArgumentException($"'{Command}' no longer has --{name}: {replacement}");
    }

    /// <summary>Throws when an option was given that no part of the command read.</summary>
    public void ThrowOnUnknownOptions()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Unknown option(s) for '{Command}': {string.Join(", ", unknown.Select(u => "--" + u))}.");
    }

    /// <summary>The exact command line of this run, for the reports.</summary>
    public string Display()
        => "dotnet run -c Release --project test/Microsoft.ML.Generative.Benchmarks -- " + string.Join(' ', Raw.Select(Quote));

    private static string Quote(string a) => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c == ';' || c == '"') ? $"\"{a}\"" : a;
}
