using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Benchmarks.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// The issue's plain hand-written reference loop on Fashion-MNIST (<see cref="PlainImageRealNvp"/>; Adam 1e-3 at a
/// constant rate, batch 64, uniform dequantization). It trains one run and reads test bits/dim at each checkpoint,
/// so its figures can be set beside <c>image-fashion</c>'s on the same machine. The clock stops while a checkpoint
/// is evaluated.
/// </summary>
internal static class PlainImageLoopBenchmark
{
    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        double[] checkpoints = commandLine.Doubles("checkpoints", 10, 20);
        int testCount = commandLine.Int("test-images", 2000), seed = commandLine.Int("seed", 0), batchSize = 64;
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        string fashion = Path.Combine(dataDirectory, "images", "fashion-mnist");
        var (train, _, _) = IdxImages.Read(Path.Combine(fashion, "train-images-idx3-ubyte.gz"), 0);
        var (test, _, _) = IdxImages.Read(Path.Combine(fashion, "t10k-images-idx3-ubyte.gz"), testCount);
        string header = RunEnvironment.Header("Image Real NVP: the issue's plain hand-written loop on Fashion-MNIST", commandLine);

        random.manual_seed(seed);
        using var model = new PlainImageRealNvp();
        using var trainTensor = tensor(train.SelectMany(x => x).ToArray(), new long[] { train.Count, 1, 28, 28 });
        using var testTensor = tensor(test.SelectMany(x => x).ToArray(), new long[] { test.Count, 1, 28, 28 });
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var noise = new Generator((ulong)seed + 1, CPU);
        double bitsPerNat = 1.0 / (784 * Math.Log(2));
        var shuffle = new Random(seed);
        var table = new MarkdownTable("checkpoint (min)", "epochs", "images/s", "**test bits/dim**");
        var clock = new Stopwatch();
        long images = 0;
        int next = 0;
        while (next < checkpoints.Length)
        {
            var order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
            shuffle.Shuffle(order);
            using var orderTensor = tensor(order);
            for (int start = 0; start + batchSize <= train.Count && next < checkpoints.Length; start += batchSize)
            {
                clock.Start();
                using (NewDisposeScope())
                {
                    var pixels = trainTensor.index_select(0, orderTensor.narrow(0, start, batchSize));
                    var v = pixels + rand(pixels.shape, generator: noise);
                    var loss = -model.LogLikelihood(v).mean() * bitsPerNat;
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
                clock.Stop();
                images += batchSize;
                if (clock.Elapsed.TotalMinutes >= checkpoints[next])
                {
                    double bits = TestBits(model, testTensor, seed, bitsPerNat);
                    Console.Error.WriteLine($"{checkpoints[next]} min: {images / (double)train.Count:F2} epochs, {bits:F4} bits/dim");
                    table.Add(checkpoints[next].ToString("0.##", CultureInfo.InvariantCulture), $"{images / (double)train.Count:F2}",
                        $"{images / clock.Elapsed.TotalSeconds:F0}", $"**{bits:F3}**");
                    next++;
                }
            }
        }
        Console.WriteLine(header + $"Data: `images/fashion-mnist`, all {train.Count} training images, the first {test.Count} test images " +
            "(uniform dequantization, one seeded draw). One run, seed " + seed + "; the clock counts training steps only.\n\n" + table);
    }

    private static double TestBits(PlainImageRealNvp model, Tensor test, int seed, double bitsPerNat)
    {
        using var noGrad = no_grad();
        using var g = new Generator((ulong)seed + 2, CPU);
        double total = 0;
        for (long start = 0; start < test.shape[0]; start += 500)
        {
            using var scope = NewDisposeScope();
            var x = test.narrow(0, start, Math.Min(500, test.shape[0] - start));
            total += model.LogLikelihood(x + rand(x.shape, generator: g)).sum().item<float>();
        }
        return -total / test.shape[0] * bitsPerNat;
    }
}
