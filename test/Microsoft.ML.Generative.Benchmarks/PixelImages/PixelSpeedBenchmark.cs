using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Generative.Benchmarks.Images;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.PixelModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// Speed of the Pixel RNN family on Fashion-MNIST images (28x28, 256 levels), per architecture:
/// <list type="bullet">
/// <item>training images/s of <c>Fit</c> against the shortest reasonable hand-written TorchSharp loop over the same
/// network class and architecture (seeded shuffle, mean cross-entropy, Adam step; no validation, clipping or
/// snapshots), in alternating rounds (ours, raw), and the GFLOP/s both reach (convolutions counted analytically,
/// training = 3 x forward) against a measured float32 matmul peak on the same threads;</item>
/// <item>the time to draw <c>--samples</c> images: the naive sampler (the whole network on the whole image for every
/// sub-pixel) against the library's (rows reused: <see cref="PixelNetwork.ReadRows"/>), same network, same seed, and
/// whether both drew the same images.</item>
/// </list>
/// </summary>
internal static class PixelSpeedBenchmark
{
    private const int Side = 28, Levels = 256;

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        int count = commandLine.Int("images", 2048), rounds = commandLine.Int("rounds", 3), epochs = commandLine.Int("epochs", 1);
        int samples = commandLine.Int("samples", 64), naiveSamples = commandLine.Int("naive-samples", samples);
        var architectures = ImageModelChoice.ParseList(commandLine.List("models", "gated", "rowlstm"), new[] { "gated", "rowlstm" });
        var overrides = OptionOverrides.Parse<PixelRnnOptions>(commandLine.String("pixel"));
        bool skipTraining = commandLine.Flag("sampling-only"), skipSampling = commandLine.Flag("training-only");
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        if (naiveSamples > samples || naiveSamples < 1) throw new ArgumentException("--naive-samples must be from 1 to --samples.");
        var (images, _, _) = IdxImages.Read(Path.Combine(dataDirectory, "images", "fashion-mnist", "train-images-idx3-ubyte.gz"), count);
        string header = RunEnvironment.Header("Pixel RNN: training and sampling speed", commandLine);
        double peak = MatmulPeak.Gflops();
        var sb = new System.Text.StringBuilder(header);
        sb.AppendLine($"Measured float32 matmul peak (1024 x 1024, same threads): {peak.ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s.").AppendLine();

        foreach (var model in architectures)
        {
            var options = PixelRnnRecipe.Options(model, Side, Side, Levels, null, 0, 0f, overrides);
            options.MaxEpochs = epochs;
            options.EarlyStoppingPatience = 0;
            var architecture = options.ToArchitecture(0);
            double flops = 3 * PixelFlops.ForwardPerImage(architecture);
            sb.AppendLine($"### {model.Display}").AppendLine();
            sb.AppendLine($"Options: `{OptionOverrides.DescribeAll(options)}`. Convolution work: {(flops / 1e9).ToString("F3", CultureInfo.InvariantCulture)} GFLOP per training image (forward counted analytically, x3 for training).").AppendLine();
            if (!skipTraining) sb.AppendLine(Training(options, architecture, images, rounds, flops).ToString());
            if (!skipSampling) sb.AppendLine(Sampling(architecture, samples, naiveSamples));
        }
        Console.WriteLine(sb.ToString());
    }

    private static MarkdownTable Training(PixelRnnOptions options, PixelArchitecture architecture, List<float[]> images, int rounds, double flopsPerImage)
    {
        var table = new MarkdownTable("round", "ours images/s", "raw images/s", "ours / raw", "ours GFLOP/s", "raw GFLOP/s");
        var ours = new List<double>();
        var raw = new List<double>();
        var ratios = new List<double>();
        string Gflops(double imagesPerSecond) => (imagesPerSecond * flopsPerImage / 1e9).ToString("F1", CultureInfo.InvariantCulture);
        for (int round = 1; round <= rounds; round++)
        {
            ComparisonPlan.Settle();
            var ml = new MLContext(seed: 0);
            using (var model = ml.Generative().PixelRnn(options).Fit(ImageRows.Load(ml, images)))
                ours.Add(model.TrainingSummary.History.Average(e => e.ItemsPerSecond));
            ComparisonPlan.Settle();
            raw.Add(RawImagesPerSecond(architecture, images, options.MaxEpochs, options.BatchSize, options.LearningRate));
            ratios.Add(ours[^1] / raw[^1]);
            Console.Error.WriteLine($"{architecture.Kind} round {round}: ours {ours[^1]:F1}, raw {raw[^1]:F1} images/s");
            table.Add($"{round}", $"{ours[^1]:F1}", $"{raw[^1]:F1}", $"{ratios[^1]:F3}", Gflops(ours[^1]), Gflops(raw[^1]));
        }
        table.Add("median", $"{Statistics.Median(ours):F1}", $"{Statistics.Median(raw):F1}", $"**{Statistics.Median(ratios):F3}**",
            Gflops(Statistics.Median(ours)), Gflops(Statistics.Median(raw)));
        return table;
    }

    /// <summary>The raw loop: the same network class, a seeded shuffle, the mean cross-entropy in bits, plain Adam.</summary>
    private static double RawImagesPerSecond(PixelArchitecture architecture, List<float[]> images, int epochs, int batchSize, double learningRate)
    {
        random.manual_seed(0);
        using var network = PixelRnnEstimator.Create(architecture);
        using var data = tensor(images.SelectMany(x => x).ToArray(), new long[] { images.Count, 1, Side, Side });
        using var optimizer = optim.Adam(network.parameters(), lr: learningRate);
        var rng = new Random(0);
        long trained = 0;
        var clock = new Stopwatch();
        network.train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = Enumerable.Range(0, images.Count).Select(i => (long)i).ToArray();
            rng.Shuffle(order);
            using var orderTensor = tensor(order);
            clock.Start();
            for (int start = 0; start < images.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, images.Count - start);
                var batch = data.index_select(0, orderTensor.narrow(0, start, n));
                var loss = PixelLikelihood.MeanNatsPerSubPixel(network.Logits(batch, null), batch) / Math.Log(2);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                loss.item<float>();
                trained += n;
            }
            clock.Stop();
        }
        return trained / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Draws with an untrained network (the work does not depend on the weights): the row-reusing sampler for all
    /// <paramref name="samples"/>, the naive one for the first <paramref name="naiveSamples"/> (same seed, so the same
    /// first draws), and compares the images both drew.
    /// </summary>
    private static string Sampling(PixelArchitecture architecture, int samples, int naiveSamples)
    {
        random.manual_seed(0);
        using var network = PixelRnnEstimator.Create(architecture);
        (Tensor images, double seconds) Draw(int n, bool reuse)
        {
            ComparisonPlan.Settle();
            using var generator = new Generator(1, CPU);
            var clock = Stopwatch.StartNew();
            using var blank = zeros(n, architecture.Channels, Side, Side);
            var drawn = PixelSampler.Sample(network, blank, null, 0, 1.0, generator, reuse);
            return (drawn, clock.Elapsed.TotalSeconds);
        }
        var (reused, reuseSeconds) = Draw(samples, reuse: true);
        Console.Error.WriteLine($"{architecture.Kind}: {samples} samples with rows reused in {reuseSeconds:F1} s");
        var (naive, naiveSeconds) = Draw(naiveSamples, reuse: false);
        Console.Error.WriteLine($"{architecture.Kind}: {naiveSamples} samples naively in {naiveSeconds:F1} s");
        // Multinomial draws consume the generator per call, with one call per sub-pixel for the whole batch: with a
        // smaller naive batch the draws differ, so only an equal batch can be compared.
        string same = naiveSamples == samples
            ? (reused.eq(naive).all().item<bool>() ? "identical images" : $"{reused.ne(naive).sum().item<long>()} of {reused.numel()} sub-pixels differ (float rounding can flip a draw near a boundary)")
            : "not compared (different batch sizes)";
        reused.Dispose();
        naive.Dispose();
        double naivePerImage = naiveSeconds / naiveSamples, reusePerImage = reuseSeconds / samples;
        var table = new MarkdownTable("sampler", "images", "seconds", "seconds per image");
        table.Add("naive: the whole network on the whole image per sub-pixel", $"{naiveSamples}", F(naiveSeconds), F(naivePerImage, "F2"));
        table.Add("library: rows reused (`ReadRows`)", $"{samples}", F(reuseSeconds), F(reusePerImage, "F2"));
        return $"Sampling {Side}x{Side}, temperature 1, generator seed 1, one batch each. Speed-up per image: **{F(naivePerImage / reusePerImage, "F1")}x**; same draws: {same}.\n\n{table}";
    }

    private static string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);
}
