using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Flows.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// Training throughput (images/s) of the image Real NVP's <c>Fit</c> against the shortest reasonable hand-written
/// TorchSharp loop over the same public network class (<see cref="RealNvpImageNetwork"/>, same architecture): seeded
/// shuffle, uniform dequantization, mean bits/dim, Adam step; no validation, clipping or snapshots. Rounds alternate
/// (ours, raw), so background load hits both alike. Also the achieved GFLOP/s of the convolutions (counted
/// analytically, training = 3 x forward) against a measured float32 matmul peak on the same threads.
/// </summary>
internal static class ImageSpeedBenchmark
{
    private const int Side = 28;

    private sealed class PixelRow
    {
        [VectorType(Side * Side)] public float[] Pixels { get; set; }
    }

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        int count = commandLine.Int("images", 4096), rounds = commandLine.Int("rounds", 3), epochs = commandLine.Int("epochs", 1);
        string overrides = commandLine.String("image") ?? "";
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        var settings = OptionOverrides.Parse<RealNvpImageOptions>(overrides);
        var (images, _, _) = IdxImages.Read(Path.Combine(dataDirectory, "images", "fashion-mnist", "train-images-idx3-ubyte.gz"), count);
        string header = RunEnvironment.Header("Image Real NVP: training speed of Fit vs a hand-written loop", commandLine);

        var options = new RealNvpImageOptions
        {
            Channels = 1, Height = Side, Width = Side, Seed = 0, MaxEpochs = epochs, ValidationFraction = 0, EarlyStoppingPatience = 0,
        };
        OptionOverrides.Apply(options, settings);
        var architecture = new ImageRealNvpArchitecture
        {
            Channels = 1, Height = Side, Width = Side, Scales = options.NumberOfScales, FeatureMaps = options.FeatureMaps,
            ResidualBlocks = options.NumberOfResidualBlocks, Activation = options.Activation,
            ConditionerBatchNorm = options.ConditionerBatchNorm, Normalization = options.Normalization,
        };
        double trainingFlopsPerImage = 3 * ForwardConvolutionFlops(architecture);
        double peak = MatmulPeak.Gflops();

        var table = new MarkdownTable("round", "ours images/s", "raw images/s", "ours / raw", "ours GFLOP/s", "raw GFLOP/s");
        var ratios = new List<double>();
        var ours = new List<double>();
        var raw = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            var ml = new MLContext(seed: 0);
            using (var model = ml.Generative().RealNvpImage(options).Fit(ml.Data.LoadFromEnumerable(images.Select(x => new PixelRow { Pixels = x }))))
                ours.Add(model.TrainingSummary.History.Average(e => e.ItemsPerSecond));
            raw.Add(RawImagesPerSecond(architecture, images, epochs, options.BatchSize, options.LearningRate));
            ratios.Add(ours[^1] / raw[^1]);
            Console.Error.WriteLine($"round {round}: ours {ours[^1]:F1}, raw {raw[^1]:F1} images/s");
            table.Add(round.ToString(), $"{ours[^1]:F1}", $"{raw[^1]:F1}", $"{ratios[^1]:F3}",
                $"{ours[^1] * trainingFlopsPerImage / 1e9:F1}", $"{raw[^1] * trainingFlopsPerImage / 1e9:F1}");
        }
        table.Add("median", $"{Statistics.Median(ours):F1}", $"{Statistics.Median(raw):F1}", $"**{Statistics.Median(ratios):F3}**",
            $"{Statistics.Median(ours) * trainingFlopsPerImage / 1e9:F1}", $"{Statistics.Median(raw) * trainingFlopsPerImage / 1e9:F1}");
        string description = settings.Count > 0 ? " except " + OptionOverrides.Describe(settings) : "";
        Console.WriteLine(header + $"Data: the first {images.Count} Fashion-MNIST training images; {epochs} epoch(s) per measurement, batch {options.BatchSize}. " +
            $"Network: RealNvpImage defaults{description} ({architecture.Scales} scales, {architecture.ResidualBlocks} residual blocks, {architecture.FeatureMaps} feature maps). " +
            $"Ours: `Fit` (ValidationFraction 0), images/s of its epochs' steps. Raw: the same `RealNvpImageNetwork`, plain Adam loop.\n\n" +
            $"Convolution work: {trainingFlopsPerImage / 1e9:F3} GFLOP per training image (forward convolutions counted analytically, x3 for training). " +
            $"Measured float32 matmul peak (1024 x 1024, same threads): {peak:F1} GFLOP/s.\n\n" + table);
    }

    private static double RawImagesPerSecond(ImageRealNvpArchitecture architecture, List<float[]> images, int epochs, int batchSize, double learningRate)
    {
        random.manual_seed(0);
        using var network = new RealNvpImageNetwork(architecture, 256, 0.05);
        using var data = tensor(images.SelectMany(x => x).ToArray(), new long[] { images.Count, 1, Side, Side });
        using var optimizer = optim.Adam(network.parameters(), lr: learningRate);
        using var noise = new Generator(1, CPU);
        double bitsPerNat = 1.0 / (Side * Side * Math.Log(2));
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
            for (int start = 0; start + 1 < images.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, images.Count - start);
                var v = network.Dequantize(data.index_select(0, orderTensor.narrow(0, start, n)), noise);
                var loss = -network.LogLikelihood(v).mean() * bitsPerNat;
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

    /// <summary>Multiply-adds x 2 of every conditioner convolution for one image (3x3 kernels, same padding).</summary>
    private static double ForwardConvolutionFlops(ImageRealNvpArchitecture a)
    {
        double Conditioner(int inChannels, int outChannels, int h, int w)
        {
            int f = a.FeatureMaps;
            double macs = (double)inChannels * f + 2.0 * a.ResidualBlocks * f * f + (double)f * Math.Max(16, outChannels);
            return 2 * 9 * macs * h * w;
        }
        double total = 0;
        int c = a.Channels, height = a.Height, width = a.Width;
        for (int s = 0; s < a.Scales - 1; s++)
        {
            total += 3 * Conditioner(c + 1, 2 * c, height, width);   // checkerboard: the mask is an extra input channel
            c *= 4; height /= 2; width /= 2;
            total += 3 * Conditioner(c, 2 * c, height, width);       // channel-wise: half the channels condition the other half
            c /= 2;
        }
        total += 4 * Conditioner(c + 1, 2 * c, height, width);
        return total;
    }
}
