using System.Diagnostics;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Images;

/// <summary>
/// The issue's plain hand-written Fashion-MNIST loop (<see cref="PlainImageRealNvp"/>), for one training-time budget,
/// independent of the library's training code: Adam, batches of shuffled training images (a fresh order from
/// <c>new Random(seed)</c> every epoch, the last partial batch dropped), uniform dequantization noise, the negative
/// log-likelihood in bits/dim as the loss.
/// </summary>
/// <remarks>
/// The protocol mirrors Fit's time budget, not its code: the budget is wall-clock time including the validation
/// passes, the cosine schedule follows it, the held-out images are scored after every epoch and once more when the
/// budget ends mid-epoch, and the weights with the lowest validation bits/dim are kept (the initial ones if no epoch
/// was validated). Validation uses the same dequantization noise every time, so epochs are compared on equal terms.
/// </remarks>
internal static class PlainImageTraining
{
    /// <summary>What one run did; <see cref="Model"/> holds the kept (best) weights and must be disposed.</summary>
    /// <param name="Epochs">Epochs started (the last one usually partial).</param>
    /// <param name="BestEpoch">The epoch whose weights were kept; 0 = the initial weights.</param>
    /// <param name="TrainingSeconds">Time spent in training steps, validation excluded (for the throughput).</param>
    public sealed record Outcome(int Epochs, int BestEpoch, double BestValidationBits, long Steps, long TrainedImages,
        double TrainingSeconds, double ValidationSeconds, long Parameters, PlainImageRealNvp Model)
    {
        public double ImagesPerSecond => TrainedImages / Math.Max(TrainingSeconds, 1e-9);
    }

    private const int Pixels = FashionMnist.Side * FashionMnist.Side;
    private static readonly double BitsPerNat = 1.0 / (Pixels * Math.Log(2));

    public static Outcome Run(IReadOnlyList<float[]> train, IReadOnlyList<float[]> validation, PlainImageOptions o, double minutes, int seed, Action<string> log)
    {
        int batch = o.BatchSize;
        if (train.Count < batch) throw new ArgumentException($"The plain loop needs at least one batch ({batch}) of training images.");
        random.manual_seed(seed);
        var model = new PlainImageRealNvp();
        try
        {
            var parameters = model.parameters().ToList();
            long parameterCount = parameters.Sum(p => p.numel());
            using var trainTensor = Stack(train);
            using var validationTensor = Stack(validation);
            using var optimizer = optim.Adam(parameters, lr: o.LearningRate);
            using var noise = new Generator((ulong)seed + 1, CPU);
            using var best = new WeightCopy(parameters);
            var shuffle = new Random(seed);
            var budget = TimeSpan.FromMinutes(minutes);
            var wall = Stopwatch.StartNew();
            var training = new Stopwatch();
            double validationSeconds = 0, bestBits = double.PositiveInfinity;
            long steps = 0, images = 0;
            int epochs = 0, bestEpoch = 0, stepsPerEpoch = train.Count / batch;
            while (wall.Elapsed < budget)
            {
                epochs++;
                var order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
                shuffle.Shuffle(order);
                using var orderTensor = tensor(order);
                double lossSum = 0;
                int stepsDone = 0;
                model.train();
                for (int step = 0; step < stepsPerEpoch && wall.Elapsed < budget; step++)
                {
                    training.Start();
                    double learningRate = o.CosineSchedule ? o.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, wall.Elapsed / budget))) : o.LearningRate;
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                    using (NewDisposeScope())
                    {
                        var pixels = trainTensor.index_select(0, orderTensor.narrow(0, (long)step * batch, batch));
                        var loss = -model.LogLikelihood(pixels + rand(pixels.shape, generator: noise)).mean() * BitsPerNat;
                        optimizer.zero_grad();
                        loss.backward();
                        optimizer.step();
                        lossSum += loss.item<float>();
                    }
                    training.Stop();
                    stepsDone++;
                    steps++;
                    images += batch;
                }
                if (stepsDone == 0) break;

                var clock = Stopwatch.StartNew();
                double bits = BitsPerDimension(model, validationTensor, seed + 2, o.EvaluationBatchSize);
                validationSeconds += clock.Elapsed.TotalSeconds;
                bool improved = bits < bestBits;
                if (improved)
                {
                    bestBits = bits;
                    bestEpoch = epochs;
                    best.CopyFrom(parameters);
                }
                log?.Invoke($"epoch {epochs} ({stepsDone}/{stepsPerEpoch} steps): train {lossSum / stepsDone:F4} bits/dim, validation {bits:F4}{(improved ? " (best)" : "")}, {images / training.Elapsed.TotalSeconds:F0} images/s, {wall.Elapsed.TotalMinutes:F2} min");
            }
            best.CopyTo(parameters);
            model.eval();
            return new Outcome(epochs, bestEpoch, bestBits, steps, images, training.Elapsed.TotalSeconds, validationSeconds, parameterCount, model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Mean negative log-likelihood in bits/dim of <paramref name="images"/> (levels 0..255) under one seeded draw of
    /// uniform dequantization noise: the same quantity Fit's <c>EvaluateBitsPerDimension</c> reports.
    /// </summary>
    public static double BitsPerDimension(PlainImageRealNvp model, IReadOnlyList<float[]> images, int seed, int batchSize)
    {
        using var stacked = Stack(images);
        return BitsPerDimension(model, stacked, seed, batchSize);
    }

    private static double BitsPerDimension(PlainImageRealNvp model, Tensor images, int seed, int batchSize)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var g = new Generator((ulong)seed, CPU);
            double total = 0;
            for (long start = 0; start < images.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var x = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start));
                total += model.LogLikelihood(x + rand(x.shape, generator: g)).to_type(ScalarType.Float64).sum().item<double>();
            }
            return -total / images.shape[0] * BitsPerNat;
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    private static Tensor Stack(IReadOnlyList<float[]> images)
    {
        var flat = new float[(long)images.Count * Pixels];
        for (int i = 0; i < images.Count; i++) images[i].CopyTo(flat, (long)i * Pixels);
        return tensor(flat, new long[] { images.Count, 1, FashionMnist.Side, FashionMnist.Side });
    }
}
