using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Benchmarks.PixelImages;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// scikit-learn's 8x8 digits (1,797 images, 17 grey levels 0..16): test bits/dim of the image Real NVP against a
/// per-pixel independent categorical model and the vector Real NVP (#2), on the same seeded 80/20 splits; with
/// <c>--methods ...,gated,rowlstm</c> also the Pixel RNNs (library defaults, exact discrete bits/dim).
/// </summary>
/// <remarks>
/// All three are measured as -log2 of a probability (or of a density over [0, 17)^64 with unit bins) per pixel:
/// the categorical model's probability of the discrete image; the flows' density at x + u with u ~ U[0,1)^64 drawn
/// once per test image and seed (uniform dequantization, <c>EvaluateBitsPerDimension</c> for the image flow; its mean
/// is an upper bound on the discrete NLL). The vector
/// flow is trained on 8 dequantized copies of every training image (fresh noise per copy), so it too learns the
/// dequantized density; its standardisation log-det is included, so its density is in pixel units.
/// </remarks>
internal static class DigitsBenchmark
{
    private const int Side = 8, Pixels = Side * Side, Levels = 17, VectorCopies = 8;

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        int seeds = commandLine.Int("seeds", 3), firstSeed = commandLine.Int("first-seed", 0);
        string imageOverrides = commandLine.String("image") ?? "";
        string vectorOverrides = commandLine.String("vector") ?? "";
        var pixelSettings = OptionOverrides.Parse<PixelRnnOptions>(commandLine.String("pixel"));
        string[] include = (commandLine.String("methods") ?? "categorical,image,vector").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        var imageSettings = OptionOverrides.Parse<RealNvpImageOptions>(imageOverrides);
        var vectorSettings = OptionOverrides.Parse<RealNvpOptions>(vectorOverrides);

        var images = Load(Path.Combine(dataDirectory, "tabular", "sklearn", "digits.csv.gz"));
        string header = RunEnvironment.Header("Image Real NVP: 8x8 digits, test bits/dim", commandLine);
        var results = new Dictionary<string, List<(double bits, double seconds)>>();
        void Record(string method, double bits, double seconds)
        {
            if (!results.TryGetValue(method, out var list)) results[method] = list = new();
            list.Add((bits, seconds));
            Console.Error.WriteLine($"seed {firstSeed + list.Count - 1} {method,-12} {bits:F4} bits/dim  {seconds:F1}s");
        }

        for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            var order = Enumerable.Range(0, images.Count).ToArray();
            new Random(seed).Shuffle(order);
            int testCount = images.Count / 5;
            var test = order.Take(testCount).Select(i => images[i]).ToList();
            var train = order.Skip(testCount).Select(i => images[i]).ToList();
            var noise = new Random(1000 + seed);
            var testDequantized = test.Select(x => x.Select(v => v + (float)noise.NextDouble()).ToArray()).ToList();

            if (include.Contains("categorical"))
            {
                var clock = Stopwatch.StartNew();
                Record("categorical", PerPixelCategorical.Fit(train, Levels).MeanBitsPerPixel(test), clock.Elapsed.TotalSeconds);
            }
            if (include.Contains("image"))
            {
                var clock = Stopwatch.StartNew();
                Record("image", ImageFlowBits(train, test, imageSettings, seed), clock.Elapsed.TotalSeconds);
            }
            if (include.Contains("vector"))
            {
                var clock = Stopwatch.StartNew();
                Record("vector", VectorFlowBits(train, testDequantized, vectorSettings, seed), clock.Elapsed.TotalSeconds);
            }
            foreach (var pixel in new[] { ImageModelChoice.Gated, ImageModelChoice.RowLstm }.Where(m => include.Contains(m.Name)))
            {
                var clock = Stopwatch.StartNew();
                Record(pixel.Name, PixelRnnBits(pixel, train, test, pixelSettings, seed), clock.Elapsed.TotalSeconds);
            }
        }

        var table = new MarkdownTable("method", "test bits/dim (mean ± std)", "per seed", "seconds per fit");
        var names = new Dictionary<string, string>
        {
            ["categorical"] = "per-pixel independent categorical (add-one)",
            ["image"] = "image Real NVP (ours)" + (imageSettings.Count > 0 ? ", " + OptionOverrides.Describe(imageSettings) : ""),
            ["vector"] = "vector Real NVP (#2), dequantized" + (vectorSettings.Count > 0 ? ", " + OptionOverrides.Describe(vectorSettings) : ""),
            ["gated"] = "gated PixelCNN (ours), exact" + (pixelSettings.Count > 0 ? ", " + OptionOverrides.Describe(pixelSettings) : ""),
            ["rowlstm"] = "Row LSTM (ours), exact" + (pixelSettings.Count > 0 ? ", " + OptionOverrides.Describe(pixelSettings) : ""),
        };
        foreach (var (method, list) in results)
        {
            var bits = list.Select(r => r.bits).ToList();
            table.Add(names[method], $"{Statistics.Mean(bits):F3} ± {Statistics.StdDev(bits):F3}",
                string.Join(" ", bits.Select(b => b.ToString("F3", CultureInfo.InvariantCulture))), $"{list.Average(r => r.seconds):F1}");
        }
        Console.WriteLine(header + $"Data: `tabular/sklearn/digits.csv.gz`, {images.Count} images of 8x8, 17 levels; per split seed a random 80/20 split " +
            $"(`new Random(seed).Shuffle`), {images.Count - images.Count / 5} training and {images.Count / 5} test images. Uniform over 17 levels: {Math.Log2(Levels):F3} bits/dim.\n\n" + table);
    }

    /// <summary>The images of the CSV: 64 pixel values, then the label (dropped).</summary>
    private static List<float[]> Load(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), Encoding.UTF8);
        var images = new List<float[]>();
        for (string line; (line = reader.ReadLine()) != null;)
        {
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != Pixels + 1) throw new InvalidDataException($"{path}: a row has {fields.Length} fields; expected {Pixels + 1}.");
            images.Add(fields.Take(Pixels).Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray());
        }
        return images;
    }

    private sealed class PixelRow
    {
        [VectorType(Side * Side)] public float[] Pixels { get; set; }
    }

    private sealed class FeatureRow
    {
        [VectorType(Side * Side)] public float[] Features { get; set; }
    }

    private static double ImageFlowBits(List<float[]> train, List<float[]> test, IReadOnlyList<(System.Reflection.PropertyInfo, object)> overrides, int seed)
    {
        var ml = new MLContext(seed: seed);
        var options = new RealNvpImageOptions { Channels = 1, Height = Side, Width = Side, PixelLevels = Levels, Seed = seed };
        OptionOverrides.Apply(options, overrides);
        using var model = ml.Generative().RealNvpImage(options).Fit(ml.Data.LoadFromEnumerable(train.Select(x => new PixelRow { Pixels = x })));
        Console.Error.WriteLine($"  image flow: {model.TrainingSummary.History.Count} epochs, best {model.TrainingSummary.BestEpoch} ({model.TrainingSummary.BestLoss:F4} bits/dim on held-out training images)");
        return model.EvaluateBitsPerDimension(ml.Data.LoadFromEnumerable(test.Select(x => new PixelRow { Pixels = x })), seed: 1000 + seed);
    }

    /// <summary>A Pixel RNN with the library's defaults (early stopping on its own 10% validation split): exact test bits/dim.</summary>
    private static double PixelRnnBits(ImageModelChoice model, List<float[]> train, List<float[]> test, IReadOnlyList<(System.Reflection.PropertyInfo, object)> overrides, int seed)
    {
        var ml = new MLContext(seed: seed);
        var options = PixelRnnRecipe.Options(model, Side, Side, Levels, null, seed, null, overrides);
        using var pixels = ml.Generative().PixelRnn(options).Fit(ImageRows.Load(ml, train));
        Console.Error.WriteLine($"  {model.Display}: {pixels.TrainingSummary.History.Count} epochs, best {pixels.TrainingSummary.BestEpoch} ({pixels.TrainingSummary.BestLoss:F4} bits/dim on held-out training images)");
        return -pixels.Transform(ImageRows.Load(ml, test)).GetColumn<float>(PixelRnnTransformer.LogLikelihoodColumnName).Average(v => (double)v) / (Pixels * Math.Log(2));
    }

    private static double VectorFlowBits(List<float[]> train, List<float[]> testDequantized, IReadOnlyList<(System.Reflection.PropertyInfo, object)> overrides, int seed)
    {
        var ml = new MLContext(seed: seed);
        var noise = new Random(seed);
        var copies = train.SelectMany(x => Enumerable.Range(0, VectorCopies)
            .Select(_ => new FeatureRow { Features = x.Select(v => v + (float)noise.NextDouble()).ToArray() })).ToList();
        var options = new RealNvpOptions { TrainingNoise = 0, Seed = seed };
        OptionOverrides.Apply(options, overrides);
        using var flow = ml.Generative().RealNvp(options).Fit(ml.Data.LoadFromEnumerable(copies));
        var scored = flow.Transform(ml.Data.LoadFromEnumerable(testDequantized.Select(x => new FeatureRow { Features = x })));
        return -scored.GetColumn<float>("LogLikelihood").Average(v => (double)v) / (Pixels * Math.Log(2));
    }
}
