using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;

namespace Samples.Cli
{
    /// <summary>
    /// Parsers and checks for System.CommandLine options that its built-in types do not cover: numbers within a range
    /// (read with the invariant culture), non-blank text, yes/no values and comma-separated lists. A value they reject is
    /// a parse error: the command stops with the usage-error exit code and a message that names the option, before any
    /// data is read.
    /// </summary>
    internal static class OptionRules
    {
        /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
        public static Option<int> InRange(this Option<int> option, int min, int max = int.MaxValue)
        {
            option.CustomParser = result => (int)(ParseNumber(result, min, max, wholeNumber: true) ?? 0);
            return option;
        }

        /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or null when the option is not given.</summary>
        public static Option<int?> InRange(this Option<int?> option, int min, int max = int.MaxValue)
        {
            option.CustomParser = result => (int?)ParseNumber(result, min, max, wholeNumber: true);
            return option;
        }

        /// <summary>A finite number from <paramref name="min"/> to <paramref name="max"/>, such as 0.5 (the decimal separator is a point).</summary>
        public static Option<double> InRange(this Option<double> option, double min, double max)
        {
            option.CustomParser = result => ParseNumber(result, min, max, wholeNumber: false) ?? 0;
            return option;
        }

        /// <summary>A given value must not be empty or white space (a file or folder name, a column name).</summary>
        public static Option<string> NotBlank(this Option<string> option)
        {
            option.Validators.Add(result =>
            {
                if (!result.Implicit && result.Tokens.Count > 0 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
                    result.AddError($"option {result.Option.Name} needs a non-empty value.");
            });
            return option;
        }

        /// <summary>The words a yes/no option with a value takes (System.CommandLine's own bool options take true and false only).</summary>
        public static readonly string[] TrueWords = { "true", "yes", "1" }, FalseWords = { "false", "no", "0" };

        /// <summary>A yes/no option that takes a value: one of <see cref="TrueWords"/> or <see cref="FalseWords"/>, any case.</summary>
        public static Option<string> YesOrNo(this Option<string> option)
            => option.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, TrueWords.Concat(FalseWords).ToArray());

        /// <summary>The value of a <see cref="YesOrNo"/> option.</summary>
        public static bool IsYes(string value) => TrueWords.Contains(value, StringComparer.OrdinalIgnoreCase);

        /// <summary>A parser for "a,b,c": the names, trimmed; an empty name is an error.</summary>
        public static string[] ParseList(ArgumentResult result)
        {
            string text = result.Tokens.Single().Value;
            var items = text.Split(',').Select(s => s.Trim()).ToArray();
            if (items.Any(s => s.Length == 0))
                result.AddError($"option {OptionName(result)} expects a comma-separated list of names, not '{text}'.");
            return items;
        }

        /// <summary>The option's number, or null (with an error added when a value was given but is not a number in range).</summary>
        private static double? ParseNumber(ArgumentResult result, double min, double max, bool wholeNumber)
        {
            if (result.Tokens.Count == 0) return null;
            string text = result.Tokens[0].Value;
            bool parsed;
            double number;
            if (wholeNumber)
            {
                parsed = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long whole);
                number = whole;
            }
            else
                parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            if (parsed && double.IsFinite(number) && number >= min && number <= max) return number;
            result.AddError($"option {OptionName(result)} expects {(wholeNumber ? "a whole number" : "a number")} from {Format(min)} to {Format(max)}, not '{text}'.");
            return null;
        }

        private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

        private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
    }
}
