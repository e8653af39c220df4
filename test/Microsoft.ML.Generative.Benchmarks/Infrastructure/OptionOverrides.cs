using System.Globalization;
using System.Reflection;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>
/// Applies "Name=Value;Name=Value" settings (e.g. "TrainingNoise=0.1;HiddenLayerSize=128") to the public settable
/// properties of an options object, so option settings can be explored from the command line without recompiling.
/// Values are parsed with the invariant culture; "null" clears a nullable property; enums by name.
/// </summary>
internal static class OptionOverrides
{
    public static IReadOnlyList<(PropertyInfo property, object value)> Parse<T>(string spec)
    {
        var result = new List<(PropertyInfo, object)>();
        if (string.IsNullOrWhiteSpace(spec)) return result;
        foreach (var part in spec.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2) throw new ArgumentException($"'{part}': expected Name=Value.");
            var property = typeof(T).GetProperty(kv[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
                throw new ArgumentException($"{typeof(T).Name} has no settable property '{kv[0]}'. Settable: {string.Join(", ", typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name))}.");
            result.Add((property, Convert(kv[1], property.PropertyType, kv[0])));
        }
        return result;
    }

    public static void Apply<T>(T target, IReadOnlyList<(PropertyInfo property, object value)> overrides)
    {
        foreach (var (property, value) in overrides) property.SetValue(target, value);
    }

    /// <summary>"Name=Value; ..." of the overrides, "defaults" when there are none.</summary>
    public static string Describe(IReadOnlyList<(PropertyInfo property, object value)> overrides)
        => overrides.Count == 0 ? "library defaults" : string.Join("; ", overrides.Select(o => $"{o.property.Name}={Format(o.value)}"));

    /// <summary>
    /// "Name=Value; ..." of every public settable property of <paramref name="options"/>: the full record of what a run
    /// used, which stays right when the library's options gain or rename members.
    /// </summary>
    public static string DescribeAll(object options)
        => string.Join("; ", options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .Select(p => $"{p.Name}={Format(p.GetValue(options))}"));

    private static string Format(object value) => value switch
    {
        null => "null",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static object Convert(string text, Type type, string name)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (text.Equals("null", StringComparison.OrdinalIgnoreCase)) return null;
            type = underlying;
        }
        try
        {
            if (type.IsEnum) return Enum.Parse(type, text, ignoreCase: true);
            if (type == typeof(string)) return text;
            return System.Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException($"{name}: cannot read '{text}' as {type.Name}.", e);
        }
    }
}
