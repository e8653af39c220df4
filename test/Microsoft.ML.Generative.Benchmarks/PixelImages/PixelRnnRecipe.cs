using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// The Pixel RNN options every image benchmark uses: the library's defaults for the chosen architecture, the data's
/// size and levels, and, with a time budget, training for that budget (cosine over it) with no epoch limit or early
/// stopping, as the flow's recipe does; then the command line's changes (<c>--pixel "Name=Value;..."</c>).
/// </summary>
internal static class PixelRnnRecipe
{
    /// <summary>The label column of the benchmarks' rows (class ids as Int32).</summary>
    public const string LabelColumn = "Label";

    public static PixelRnnOptions Options(ImageModelChoice model, int height, int width, int levels, double? minutes, int seed, float? validationFraction,
        IReadOnlyList<(System.Reflection.PropertyInfo property, object value)> overrides)
    {
        if (!model.IsPixelRnn) throw new ArgumentException($"{model.Name} is not a Pixel RNN.", nameof(model));
        var options = new PixelRnnOptions
        {
            Channels = 1, Height = height, Width = width, PixelLevels = levels, Architecture = model.Architecture.Value, Seed = seed,
            LabelColumnName = model.Conditional ? LabelColumn : null,
        };
        if (minutes is double m)
        {
            options.MaxEpochs = 1000;
            options.EarlyStoppingPatience = 0;
            options.MaxTrainingTime = TimeSpan.FromMinutes(m);
        }
        if (validationFraction is float f) options.ValidationFraction = f;
        OptionOverrides.Apply(options, overrides);
        return options;
    }
}
