using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Anomaly;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Benchmarks.Text;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// Fashion-MNIST (60,000 training images, 28x28, 256 levels): one <c>Fit</c> of the image Real NVP per time budget
/// (<c>MaxTrainingTime</c>, so the cosine schedule ends with the budget), then test bits/dim on the first 2,000 test
/// images with uniform dequantization (<c>EvaluateBitsPerDimension</c>), sample grids, and the out-of-distribution
/// check: MNIST digits scored by the Fashion-MNIST model (Nalisnick et al. 2019 found that flows often give them
/// higher likelihood).
/// </summary>
internal static class FashionMnistBenchmark
{
    private const int Side = 28;

    private sealed class PixelRow
    {
        [VectorType(Side * Side)] public float[] Pixels { get; set; }
    }

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        double[] budgets = commandLine.Doubles("minutes", 10);
        int trainCount = commandLine.Int("train-images", 0), testCount = commandLine.Int("test-images", 2000);
        int seed = commandLine.Int("seed", 0);
        string overrides = commandLine.String("image") ?? "";
        string samplesDirectory = commandLine.String("samples-out");
        string modelDirectory = commandLine.String("model-out");
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        var settings = OptionOverrides.Parse<RealNvpImageOptions>(overrides);

        string fashion = Path.Combine(dataDirectory, "images", "fashion-mnist");
        var (train, _, _) = IdxImages.Read(Path.Combine(fashion, "train-images-idx3-ubyte.gz"), trainCount);
        var (test, _, _) = IdxImages.Read(Path.Combine(fashion, "t10k-images-idx3-ubyte.gz"), testCount);
        var (mnist, _, _) = IdxImages.Read(Path.Combine(dataDirectory, "images", "mnist-t10k", "t10k-images-idx3-ubyte.gz"), testCount);
        string header = RunEnvironment.Header("Image Real NVP: Fashion-MNIST test bits/dim after a time budget", commandLine);

        var ml = new MLContext(seed: seed);
        TrainingLog.Attach(ml);
        IDataView Load(IEnumerable<float[]> images) => ml.Data.LoadFromEnumerable(images.Select(x => new PixelRow { Pixels = x }));
        var table = new MarkdownTable("budget (min)", "epochs", "best epoch", "images/s (training)", "validation bits/dim", "**test bits/dim**",
            "MNIST bits/dim (OOD)", "ROC-AUC of Score, MNIST vs Fashion test");
        foreach (double minutes in budgets)
        {
            var options = new RealNvpImageOptions
            {
                Channels = 1, Height = Side, Width = Side, Seed = seed, MaxEpochs = 1000, EarlyStoppingPatience = 0,
                MaxTrainingTime = TimeSpan.FromMinutes(minutes), ValidationFraction = 0.02f,
            };
            OptionOverrides.Apply(options, settings);
            var clock = Stopwatch.StartNew();
            using var model = ml.Generative().RealNvpImage(options).Fit(Load(train));
            var s = model.TrainingSummary;
            Console.Error.WriteLine($"{minutes} min: {s.History.Count} epochs in {clock.Elapsed.TotalMinutes:F1} min, best {s.BestEpoch} ({s.BestLoss:F4} bits/dim)");
            double testBits = model.EvaluateBitsPerDimension(Load(test), seed: 1);
            double mnistBits = model.EvaluateBitsPerDimension(Load(mnist), seed: 1);
            // OOD detection by likelihood: MNIST positive, higher Score = flagged; AUC below 0.5 means MNIST looks *more* likely.
            var scores = model.Transform(Load(test)).GetColumn<float>("Score").Concat(model.Transform(Load(mnist)).GetColumn<float>("Score")).ToList();
            var isMnist = Enumerable.Repeat(false, test.Count).Concat(Enumerable.Repeat(true, mnist.Count)).ToList();
            double auc = RocAuc.Compute(scores, isMnist);
            double throughput = s.History.Where(e => e.ItemsPerSecond > 0).Select(e => e.ItemsPerSecond).DefaultIfEmpty(0).Average();
            // Printed at once, so that a long multi-budget run that is cut short still leaves its finished budgets.
            Console.Error.WriteLine($"{minutes} min: test {testBits:F3} bits/dim, MNIST {mnistBits:F3}, ROC-AUC of Score {auc:F3}, {throughput:F0} images/s");
            table.Add(minutes.ToString("0.##", CultureInfo.InvariantCulture), s.History.Count.ToString(), s.BestEpoch.ToString(), $"{throughput:F0}",
                $"{s.BestLoss:F3}", $"**{testBits:F3}**", $"{mnistBits:F3}", $"{auc:F3}");
            if (modelDirectory is not null)
            {
                // Kept so that later analyses (image-ood) can score other data with exactly this model.
                Directory.CreateDirectory(modelDirectory);
                ml.Model.Save(model, Load(test).Schema, Path.Combine(modelDirectory, $"fashion-{minutes:0.##}min.zip"));
            }
            if (samplesDirectory is not null)
                SampleGrids.Save(model, samplesDirectory, $"fashion-{minutes:0.##}min");
        }
        string description = OptionOverrides.Describe(settings);
        Console.WriteLine(header + $"Data: `images/fashion-mnist`, {train.Count} training images (2% held out by Fit for validation), the first {test.Count} test images; " +
            $"`images/mnist-t10k`, the first {mnist.Count} MNIST test images for the out-of-distribution check. One `Fit` per budget, seed {seed}, " +
            $"RealNvpImage defaults{(settings.Count > 0 ? " except " + description : "")}, MaxEpochs 1000, no early stopping, ValidationFraction 0.02.\n\n" + table);
    }
}
