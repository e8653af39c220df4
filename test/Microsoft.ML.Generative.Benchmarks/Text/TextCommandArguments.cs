using System.Globalization;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>Number options the text benchmarks need beyond <see cref="CommandArguments"/>'s integers (invariant culture).</summary>
internal static class TextCommandArguments
{
    public static double Double(this CommandArguments commandLine, string name, double defaultValue)
    {
        string v = commandLine.String(name);
        return v is null ? defaultValue : Parse(name, v);
    }

    /// <summary>A comma-separated list of numbers, or <paramref name="defaultValue"/> when the option is absent.</summary>
    public static double[] Doubles(this CommandArguments commandLine, string name, params double[] defaultValue)
    {
        var items = commandLine.List(name, null);
        return items is null ? defaultValue : items.Select(v => Parse(name, v)).ToArray();
    }

    /// <summary>A comma-separated list of integers, or <paramref name="defaultValue"/> when the option is absent.</summary>
    public static int[] Ints(this CommandArguments commandLine, string name, params int[] defaultValue)
    {
        var items = commandLine.List(name, null);
        return items is null ? defaultValue : items.Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
            ? n : throw new ArgumentException($"--{name} expects integers, got '{v}'.")).ToArray();
    }

    private static double Parse(string name, string v)
        => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
            ? x : throw new ArgumentException($"--{name} expects a number, got '{v}'.");
}
