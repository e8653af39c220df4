using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Samples.Cli
{
    /// <summary>
    /// "--name value", "--name=value" and "--flag" options, checked against the names a command declares,
    /// so a misspelt option is an error instead of being silently ignored.
    /// </summary>
    internal sealed class ParsedArguments
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        private ParsedArguments() { }

        /// <param name="args">The command's arguments (without the command name).</param>
        /// <param name="valueOptions">Options that take a value, without the leading "--".</param>
        /// <param name="flags">Options without a value, without the leading "--".</param>
        public static ParsedArguments Parse(IReadOnlyList<string> args, IEnumerable<string> valueOptions, IEnumerable<string> flags)
        {
            var takesValue = new HashSet<string>(valueOptions, StringComparer.Ordinal);
            var isFlag = new HashSet<string>(flags, StringComparer.Ordinal);
            var parsed = new ParsedArguments();
            for (int i = 0; i < args.Count; i++)
            {
                string arg = args[i];
                if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                    throw new UsageException($"unexpected argument '{arg}'; options start with --.");
                string name = arg[2..], value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0)
                    (name, value) = (name[..eq], name[(eq + 1)..]);

                if (isFlag.Contains(name))
                {
                    if (value is not null) throw new UsageException($"option --{name} takes no value.");
                    value = "true";
                }
                else if (takesValue.Contains(name))
                {
                    if (value is null)
                    {
                        // A following "--x" is the next option, not this one's value: "--output --epochs 5" is a mistake.
                        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                            throw new UsageException($"option --{name} needs a value.");
                        value = args[++i];
                    }
                }
                else
                    throw new UsageException($"unknown option --{name}.");

                if (!parsed._values.TryAdd(name, value))
                    throw new UsageException($"option --{name} is given twice.");
            }
            return parsed;
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public string GetString(string name, string defaultValue = null)
        {
            if (!_values.TryGetValue(name, out var value)) return defaultValue;
            if (string.IsNullOrWhiteSpace(value)) throw new UsageException($"option --{name} needs a non-empty value.");
            return value;
        }

        public int GetInt(string name, int defaultValue, int min, int max = int.MaxValue)
        {
            if (!_values.TryGetValue(name, out var text)) return defaultValue;
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
                throw new UsageException($"option --{name} expects a whole number from {min} to {max}, not '{text}'.");
            return value;
        }

        /// <summary>A number such as 0.5 (invariant culture: the decimal separator is a point).</summary>
        public double GetNumber(string name, double defaultValue, double min, double max)
        {
            if (!_values.TryGetValue(name, out var text)) return defaultValue;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < min || value > max)
                throw new UsageException($"option --{name} expects a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
            return value;
        }

        public bool GetBool(string name, bool defaultValue)
        {
            if (!_values.TryGetValue(name, out var text)) return defaultValue;
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" => true,
                "false" or "no" or "0" => false,
                _ => throw new UsageException($"option --{name} expects true or false, not '{text}'."),
            };
        }

        /// <summary>A comma-separated list, e.g. "--features a,b,c"; null when the option is absent.</summary>
        public IReadOnlyList<string> GetList(string name)
        {
            if (!_values.TryGetValue(name, out var text)) return null;
            var items = text.Split(',').Select(s => s.Trim()).ToArray();
            if (items.Any(s => s.Length == 0))
                throw new UsageException($"option --{name} expects a comma-separated list of names, not '{text}'.");
            return items;
        }
    }
}
