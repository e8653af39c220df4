using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Benchmarks.PixelImages;
using Microsoft.ML.Generative.Benchmarks.Text;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// MNIST as the shared data ships it (only the 10,000 t10k images): the first 8,000 train the image Real NVP for a
/// time budget, the last 2,000 are the test set. Test bits/dim with uniform dequantization
/// (<c>EvaluateBitsPerDimension</c>) against a per-pixel independent categorical model on the same split, and
/// optional sample grids. With <c>--models</c> the Pixel RNNs too (exact discrete bits/dim), each budget a fresh Fit of
/// every model, one after another.
/// </summary>
internal static class MnistBenchmark
{
    private const int Side = 28, PixelCount = Side * Side, Levels = 256, TrainCount = 8000;

    private sealed class PixelRow
    {
        [VectorType(PixelCount)] public float[] Pixels { get; set; }
    }

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        double[] budgets = commandLine.Doubles("minutes", 10);
        int seed = commandLine.Int("seed", 0);
        string overrides = commandLine.String("image") ?? "";
        var models = ImageModelChoice.ParseList(commandLine.List("models", "realnvp"), new[] { "realnvp", "gated", "rowlstm" });
        var pixelOverrides = OptionOverrides.Parse<PixelRnnOptions>(commandLine.String("pixel"));
        string samplesDirectory = commandLine.String("samples-out");
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        var settings = OptionOverrides.Parse<RealNvpImageOptions>(overrides);

        var (all, _, _) = IdxImages.Read(Path.Combine(dataDirectory, "images", "mnist-t10k", "t10k-images-idx3-ubyte.gz"), 0);
        var train = all.Take(TrainCount).ToList();
        var test = all.Skip(TrainCount).ToList();
        string header = RunEnvironment.Header(models.Any(m => m.IsPixelRnn)
            ? "Image Real NVP and Pixel RNNs: MNIST (t10k split 8,000 / 2,000) test bits/dim after a time budget"
            : "Image Real NVP: MNIST (t10k split 8,000 / 2,000) test bits/dim after a time budget", commandLine);

        var ml = new MLContext(seed: seed);
        TrainingLog.Attach(ml);
        IDataView Load(IEnumerable<float[]> images) => ml.Data.LoadFromEnumerable(images.Select(x => new PixelRow { Pixels = x }));
        var table = new MarkdownTable("model", "budget (min)", "epochs", "best epoch", "validation bits/dim", "**test bits/dim**");
        table.Add("per-pixel independent categorical (add-one), discrete NLL", "-", "-", "-", "-", $"**{PerPixelCategorical.Fit(train, Levels).MeanBitsPerPixel(test):F3}**");
        var pixelDescriptions = new SortedSet<string>();
        foreach (double minutes in budgets)
            foreach (var choice in models)
            {
                string budget = minutes.ToString("0.##", CultureInfo.InvariantCulture);
                if (!choice.IsPixelRnn)
                {
                    var options = new RealNvpImageOptions
                    {
                        Channels = 1, Height = Side, Width = Side, Seed = seed, MaxEpochs = 1000, EarlyStoppingPatience = 0,
                        MaxTrainingTime = TimeSpan.FromMinutes(minutes), ValidationFraction = 0.05f,
                    };
                    OptionOverrides.Apply(options, settings);
                    using var model = ml.Generative().RealNvpImage(options).Fit(Load(train));
                    var s = model.TrainingSummary;
                    double testBits = model.EvaluateBitsPerDimension(Load(test), seed: 1);
                    Console.Error.WriteLine($"{minutes} min: {s.History.Count} epochs, best {s.BestEpoch}, test {testBits:F4} bits/dim");
                    table.Add("image Real NVP (`Fit`), dequantized", budget, s.History.Count.ToString(), s.BestEpoch.ToString(), $"{s.BestLoss:F3}", $"**{testBits:F3}**");
                    if (samplesDirectory is not null)
                        SampleGrids.Save(model, samplesDirectory, $"mnist-{minutes:0.##}min");
                }
                else
                {
                    ComparisonPlan.Settle();
                    var options = PixelRnnRecipe.Options(choice, Side, Side, Levels, minutes, seed, 0.05f, pixelOverrides);
                    pixelDescriptions.Add($"{choice.Display}: `{OptionOverrides.DescribeAll(options)}`");
                    using var model = ml.Generative().PixelRnn(options).Fit(ImageRows.Load(ml, train));
                    var s = model.TrainingSummary;
                    double testBits = -model.Transform(ImageRows.Load(ml, test)).GetColumn<float>(PixelRnnTransformer.LogLikelihoodColumnName).Average(v => (double)v)
                        / (PixelCount * Math.Log(2));
                    Console.Error.WriteLine($"{choice.Display}, {minutes} min: {s.History.Count} epochs, best {s.BestEpoch}, test {testBits:F4} bits/dim");
                    table.Add($"{choice.Display} (`Fit`), exact", budget, s.History.Count.ToString(), s.BestEpoch.ToString(), $"{s.BestLoss:F3}", $"**{testBits:F3}**");
                    if (samplesDirectory is not null)
                        PixelImageFiles.SaveSamples(ml, model, samplesDirectory, $"mnist-{choice.Name}-{budget}min");
                }
            }
        string description = OptionOverrides.Describe(settings);
        Console.WriteLine(header + $"Data: `images/mnist-t10k`, images 0..{TrainCount - 1} for training (5% held out by Fit for validation), " +
            $"images {TrainCount}..{all.Count - 1} for test. One `Fit` per budget, seed {seed}, RealNvpImage defaults" +
            $"{(settings.Count > 0 ? " except " + description : "")}, MaxEpochs 1000, no early stopping. Uniform over 256 levels: 8 bits/dim." +
            string.Concat(pixelDescriptions.Select(d => "\n\n- " + d)) + "\n\n" + table);
    }
}
