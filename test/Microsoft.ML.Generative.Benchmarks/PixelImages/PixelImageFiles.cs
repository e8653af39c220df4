using Microsoft.ML.Data;
using System.Diagnostics;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>The PNGs the Pixel RNN benchmarks write: samples, completions of half-hidden test images, and samples per class.</summary>
internal static class PixelImageFiles
{
    public const int CompletedImages = 8, CompletionsPerImage = 4;

    /// <summary>64 samples (seed 1) at temperature 1; returns the seconds the drawing took.</summary>
    public static double SaveSamples(MLContext ml, PixelRnnTransformer model, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        var samples = model.Sample(64, 1f, seed: 1).GetColumn<float[]>(model.FeatureColumnName).ToList();
        double seconds = clock.Elapsed.TotalSeconds;
        model.SaveImageGrid(ImageRows.Load(ml, samples), Path.Combine(directory, $"{name}-t1.0.png"), columns: 8, pixelSize: 2);
        return seconds;
    }

    /// <summary>
    /// One grid row per test image: the image with its bottom half hidden (mid-grey), <see cref="CompletionsPerImage"/>
    /// completions of the bottom half given the top (seed 1, temperature 1), and the original.
    /// </summary>
    public static void SaveCompletions(MLContext ml, PixelRnnTransformer model, IReadOnlyList<float[]> test, IReadOnlyList<int> labels, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        int n = Math.Min(CompletedImages, test.Count), known = model.Height / 2, hiddenFrom = known * model.Width;
        var images = test.Take(n).ToList();
        var completed = model.Complete(ImageRows.Load(ml, images, labels?.Take(n).ToList()), known, CompletionsPerImage, seed: 1)
            .GetColumn<float[]>(model.FeatureColumnName).ToList();
        var grid = new List<float[]>();
        float grey = (model.PixelLevels - 1) / 2f;
        for (int i = 0; i < n; i++)
        {
            var hidden = (float[])images[i].Clone();
            Array.Fill(hidden, grey, hiddenFrom, hidden.Length - hiddenFrom);
            grid.Add(hidden);
            grid.AddRange(completed.Skip(i * CompletionsPerImage).Take(CompletionsPerImage));
            grid.Add(images[i]);
        }
        model.SaveImageGrid(ImageRows.Load(ml, grid), Path.Combine(directory, $"{name}-completions.png"), columns: CompletionsPerImage + 2, pixelSize: 2);
    }

    /// <summary>A class-conditional model: one grid row of 8 samples (seed 1, temperature 1) per class.</summary>
    public static void SaveClassSamples(MLContext ml, PixelRnnTransformer model, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var grid = new List<float[]>();
        for (int label = 0; label < model.NumberOfClasses; label++)
            grid.AddRange(model.Sample(8, 1f, seed: 1 + label, label: label).GetColumn<float[]>(model.FeatureColumnName));
        model.SaveImageGrid(ImageRows.Load(ml, grid), Path.Combine(directory, $"{name}-per-class.png"), columns: 8, pixelSize: 2);
    }
}
